/** Table types of the resource directory (migration 0006-directory). */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DirectoryTables {}
