import { formatRelativeTime, formatTimestamp } from './format';

/** "3 days ago", with the exact UTC time on hover. */
export function RelativeTime({ iso }: { iso: string }) {
  const exact = `${formatTimestamp(iso)} UTC`;
  return (
    <time dateTime={iso} title={exact}>
      {formatRelativeTime(iso, Date.now())}
    </time>
  );
}
