/** One string per (source, key) pair, for delivery keys and incident keys alike. */
export function deliveryId(source: string, deliveryKey: string): string {
  return JSON.stringify([source, deliveryKey]);
}
