import type { InboundSoapCodec } from '../../core/ports/index.js';
import { contentType, envelope, faultEnvelope, readEnvelope, xmlEscape } from './inbound-envelope.js';
import { EVENTS_NS, eventsWsdl } from './inbound-wsdl.js';

/** The inbound SOAP events service's wire format, as core's {@link InboundSoapCodec} port. */
export const inboundSoapCodec: InboundSoapCodec = {
  read: readEnvelope,
  answer(version, outcome) {
    const reason = outcome.reason ? `<reason>${xmlEscape(outcome.reason)}</reason>` : '';
    return envelope(
      version,
      `<PostEventResponse xmlns="${EVENTS_NS}"><dossierCode>${xmlEscape(outcome.dossierCode)}</dossierCode><status>${outcome.status}</status>` +
        `<statusCode>${outcome.statusCode}</statusCode><applied>${outcome.applied}</applied>${reason}</PostEventResponse>`,
    );
  },
  fault: faultEnvelope,
  contentType,
  wsdl: eventsWsdl,
};
