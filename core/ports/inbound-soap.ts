/** The two SOAP versions the inbound events service speaks. */
export type SoapVersion = '1.1' | '1.2';

/**
 * A fault to answer: `client` (the caller must change its message: 1.1
 * Client, 1.2 Sender), `server` (try again later: 1.1 Server, 1.2 Receiver)
 * or `version` (VersionMismatch).
 */
export class SoapFaultError extends Error {
  override name = 'SoapFaultError';
  constructor(
    readonly kind: 'client' | 'server' | 'version',
    message: string,
  ) {
    super(message);
  }
}

/** An incoming envelope, read: its version, the elements of its Body's first child, its UsernameToken. */
export interface InboundEnvelope {
  version: SoapVersion;
  /** Local name of the Body's first element (`PostEvent`). */
  operation: string;
  /** Text of each child of that element, by local name (entities decoded, NFC). */
  fields: Record<string, string>;
  token?: { username: string; password: string; passwordType: string };
}

/** What `PostEvent` answers: the outcome of applying the event. */
export interface PostEventAnswer {
  dossierCode: string;
  status: string;
  statusCode: string | number;
  applied: boolean;
  reason?: string;
}

/**
 * The wire format of the inbound SOAP events service (`/soap/events`):
 * reading envelopes and writing answers, faults and the WSDL. The gateway's
 * route (gateway/routes/soap-events.ts) does HTTP and calls core; this port
 * does XML. Implemented by adapters/soap/inbound-codec.ts, handed to the
 * gateway by the runtime.
 */
export interface InboundSoapCodec {
  /**
   * Read a SOAP 1.1 or 1.2 request safely (no DTD, no entity expansion,
   * bounded nesting). Throws {@link SoapFaultError} saying what is wrong
   * (`client` for bad XML or not an envelope, `version` for an unknown
   * envelope namespace); never anything else for bad input.
   */
  read(text: string): InboundEnvelope;
  /** A `PostEventResponse` envelope in `version`. */
  answer(version: SoapVersion, outcome: PostEventAnswer): string;
  /** A fault envelope in `version` (1.1 `faultcode`/`faultstring`, 1.2 `Code`/`Reason`). */
  fault(version: SoapVersion, kind: SoapFaultError['kind'], message: string): string;
  /** The content type of an answer in `version`. */
  contentType(version: SoapVersion): string;
  /** The service's WSDL, with `address` as its endpoint. */
  wsdl(address: string): string;
}
