/** Table types of MOUD access and insurance navigation tasks (migration 0008-moud-access). */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MoudTables {}
