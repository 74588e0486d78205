/**
 * Records shown as a table on wide screens and as a list of small cards on phones (a table
 * cannot be read at 360 px). The first column is the card's heading.
 */
import type { ReactNode } from 'react';
import { useIsWide } from './useMediaQuery';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** Numbers and dates read better right-aligned in a table. */
  numeric?: boolean;
}

export function DataList<T>({ caption, columns, rows, rowKey }: { caption: string; columns: readonly Column<T>[]; rows: readonly T[]; rowKey: (row: T) => string }) {
  const wide = useIsWide();
  const [first, ...rest] = columns;
  if (!first) return null;
  if (wide) {
    return (
      <div className="table-wrapper">
        <table className="table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.header} scope="col" className={c.numeric ? 'numeric' : undefined}>
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={rowKey(r)}>
                <th scope="row">{first.cell(r)}</th>
                {rest.map((c) => (
                  <td key={c.header} className={c.numeric ? 'numeric' : undefined}>
                    {c.cell(r)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  return (
    <ul className="record-list" aria-label={caption}>
      {rows.map((r) => (
        <li key={rowKey(r)} className="record">
          <h3 className="heading-s record-title">{first.cell(r)}</h3>
          <dl className="record-facts">
            {rest.map((c) => (
              <div key={c.header}>
                <dt>{c.header}</dt>
                <dd>{c.cell(r)}</dd>
              </div>
            ))}
          </dl>
        </li>
      ))}
    </ul>
  );
}
