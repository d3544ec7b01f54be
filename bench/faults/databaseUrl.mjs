/**
 * The connection string for one database on the server `connectionString`
 * points at. (pg lets a connection string's empty path override a separate
 * `database` option, so the name goes into the URL itself.)
 */
export function databaseUrl(connectionString, database) {
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}
