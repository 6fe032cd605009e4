// Server-rendered only, as the portal's public pages: no JavaScript is sent.
export const csr = false;
