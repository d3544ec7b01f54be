import {
  Button,
  Cell,
  Column,
  Flex,
  Row,
  TableBody,
  TableHeader,
  TableRoot,
  Text,
} from '@backstage/ui';
import { unparse } from 'papaparse';
import { useState, type ReactNode } from 'react';

const FIRST_ROWS = 25;

export interface DataColumn<T> {
  title: string;
  /** The value in the CSV export, and the cell text unless `render` is given. */
  value(row: T): string | number | null;
  render?(row: T): ReactNode;
}

/** Serialises the table as the user sees it, one CSV row per table row. */
export function toCsv<T>(columns: DataColumn<T>[], rows: T[]): string {
  return unparse({
    fields: columns.map(c => c.title),
    data: rows.map(row => columns.map(c => c.value(row) ?? '')),
  });
}

function download(fileName: string, csv: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/** A table whose rows can always be exported as CSV. */
export function DataTable<T>(props: {
  title: string;
  // Rows decide the row type; columns are checked against it.
  columns: DataColumn<NoInfer<T>>[];
  rows: T[];
  rowKey(row: NoInfer<T>, index: number): string;
  /** Tells the user what to do when there are no rows. */
  emptyMessage: ReactNode;
  fileName: string;
}) {
  const { title, columns, rows, rowKey, emptyMessage, fileName } = props;
  const [showAll, setShowAll] = useState(false);
  // Long lists stay scannable; the export always has every row.
  const shown = showAll ? rows : rows.slice(0, FIRST_ROWS);
  return (
    <Flex direction="column" gap="2">
      <Flex justify="between" align="center">
        <Text as="h3" variant="title-x-small">
          {title}
        </Text>
        <Button
          size="small"
          variant="secondary"
          isDisabled={rows.length === 0}
          onPress={() => download(fileName, toCsv(columns, rows))}
          aria-label={`Export ${title} as CSV`}
        >
          Export CSV
        </Button>
      </Flex>
      {rows.length === 0 ? (
        <Text color="secondary">{emptyMessage}</Text>
      ) : (
        <TableRoot aria-label={title}>
          <TableHeader>
            {columns.map((column, i) => (
              <Column key={column.title} isRowHeader={i === 0}>
                {column.title}
              </Column>
            ))}
          </TableHeader>
          <TableBody>
            {shown.map((row, index) => (
              <Row key={rowKey(row, index)} id={rowKey(row, index)}>
                {columns.map(column => (
                  <Cell key={column.title}>
                    {column.render
                      ? column.render(row)
                      : String(column.value(row) ?? '–')}
                  </Cell>
                ))}
              </Row>
            ))}
          </TableBody>
        </TableRoot>
      )}
      {shown.length < rows.length && (
        <Button
          size="small"
          variant="tertiary"
          onPress={() => setShowAll(true)}
        >
          Show all {rows.length} rows
        </Button>
      )}
    </Flex>
  );
}
