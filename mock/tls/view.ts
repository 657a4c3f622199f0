// What GET /_mock/tls answers (control.yaml's TlsInfo), kept apart from the certificate
// code so the core can name it without loading that code.

/** A bad-certificate profile's port, and the error a validating client raises there. */
export interface TlsProfileView {
  name: string;
  url: string;
  expected_error: string;
}

export interface TlsView {
  ca_pem: string | null;
  profiles: TlsProfileView[];
}
