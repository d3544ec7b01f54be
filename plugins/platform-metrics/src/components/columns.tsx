import type { DataColumn } from './DataTable';
import { EntityLink } from './EntityLink';
import { formatDuration, formatTimestamp, toHours } from './format';

export function serviceColumn<
  T extends { entityRef: string | null },
>(): DataColumn<T> {
  return {
    title: 'service',
    value: r => r.entityRef,
    render: r => <EntityLink entityRef={r.entityRef} />,
  };
}

export function teamColumn<
  T extends { teamRef: string | null },
>(): DataColumn<T> {
  return {
    title: 'team',
    value: r => r.teamRef,
    render: r => <EntityLink entityRef={r.teamRef} />,
  };
}

/** ISO in the CSV, minutes in UTC on screen. */
export function dateColumn<T>(
  title: string,
  pick: (row: T) => string | null,
): DataColumn<T> {
  return {
    title,
    value: pick,
    render: row => formatTimestamp(pick(row)),
  };
}

/** The time from start to end, empty while there is no end. */
export function durationColumn<T>(
  title: string,
  start: (row: T) => string,
  end: (row: T) => string | null,
): DataColumn<T> {
  return {
    title,
    value: row => {
      const to = end(row);
      return to
        ? formatDuration((Date.parse(to) - Date.parse(start(row))) / 1000)
        : null;
    },
  };
}

/** Seconds as hours with two decimals, in the table and the CSV alike. */
export function hoursColumn<T>(
  title: string,
  pick: (row: T) => number | null,
): DataColumn<T> {
  return { title, value: row => toHours(pick(row))?.toFixed(2) ?? null };
}
