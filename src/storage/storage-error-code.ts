/** Codes raised by `src/storage` (connections, migrations, bulk import). Sorted by area. */
export type StorageErrorCode =
  // connection and configuration
  | 'ERR_DB_URL'
  | 'ERR_DB_CONNECT'
  | 'ERR_DB_MIGRATION'
  // bulk import: problems that stop a whole file (row problems go to the rejects file instead)
  | 'ERR_IMPORT_HEADER'
  | 'ERR_IMPORT_FILE_TOO_LARGE'
  | 'ERR_IMPORT_LINE_TOO_LONG'
  | 'ERR_IMPORT_FIELD_TOO_LONG'
  | 'ERR_IMPORT_IO'
  | 'ERR_IMPORT_BATCH'
  // registry writes
  | 'ERR_REGISTRY_UNKNOWN_SITE'
  // message delivery (SMS and e-mail gateways)
  | 'ERR_DELIVERY_CONFIG'
  | 'ERR_DELIVERY_FAILED'
