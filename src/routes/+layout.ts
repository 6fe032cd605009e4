// Public pages work without JavaScript and ship none: fast on an old phone and a slow connection.
export const csr = false;
