import { xmlEscape } from './inbound-envelope.js';

/** Target namespace of the inbound events service. */
export const EVENTS_NS = 'urn:lienthong:events:v1';
export const POST_EVENT_ACTION = `${EVENTS_NS}/PostEvent`;

/**
 * The WSDL of `/soap/events` (docs/api-v1.md, "Inbound SOAP"):
 * document/literal wrapped, one operation `PostEvent`, a SOAP 1.1 and a SOAP
 * 1.2 binding at the same `address`. Authentication (WS-Security
 * UsernameToken, PasswordText) is described in the documentation element,
 * since WS-Policy is beyond what most department SOAP stacks read.
 */
export function eventsWsdl(address: string): string {
  const binding = (name: string, soap: string) => `
  <wsdl:binding name="${name}" type="tns:EventsPortType">
    <${soap}:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="PostEvent">
      <${soap}:operation soapAction="${POST_EVENT_ACTION}" style="document"/>
      <wsdl:input><${soap}:body use="literal"/></wsdl:input>
      <wsdl:output><${soap}:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<wsdl:definitions name="LienthongEvents" targetNamespace="${EVENTS_NS}"
    xmlns:tns="${EVENTS_NS}"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/"
    xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <wsdl:documentation>lienthong: a department posts the progress of its dossiers. Authenticate with a WS-Security UsernameToken (PasswordText): Username = the department id (agency code), Password = that department's API key. Give dossierCode or reference (the department's own id).</wsdl:documentation>
  <wsdl:types>
    <xsd:schema targetNamespace="${EVENTS_NS}" elementFormDefault="qualified">
      <xsd:element name="PostEvent">
        <xsd:complexType>
          <xsd:sequence>
            <xsd:element name="departmentId" type="xsd:string"/>
            <xsd:element name="dossierCode" type="xsd:string" minOccurs="0"/>
            <xsd:element name="reference" type="xsd:string" minOccurs="0"/>
            <xsd:element name="status" type="xsd:string"/>
            <xsd:element name="note" type="xsd:string" minOccurs="0"/>
            <xsd:element name="occurredAt" type="xsd:string" minOccurs="0"/>
          </xsd:sequence>
        </xsd:complexType>
      </xsd:element>
      <xsd:element name="PostEventResponse">
        <xsd:complexType>
          <xsd:sequence>
            <xsd:element name="dossierCode" type="xsd:string"/>
            <xsd:element name="status" type="xsd:string"/>
            <xsd:element name="statusCode" type="xsd:int"/>
            <xsd:element name="applied" type="xsd:boolean"/>
            <xsd:element name="reason" type="xsd:string" minOccurs="0"/>
          </xsd:sequence>
        </xsd:complexType>
      </xsd:element>
    </xsd:schema>
  </wsdl:types>
  <wsdl:message name="PostEventRequest"><wsdl:part name="parameters" element="tns:PostEvent"/></wsdl:message>
  <wsdl:message name="PostEventResponse"><wsdl:part name="parameters" element="tns:PostEventResponse"/></wsdl:message>
  <wsdl:portType name="EventsPortType">
    <wsdl:operation name="PostEvent">
      <wsdl:input message="tns:PostEventRequest"/>
      <wsdl:output message="tns:PostEventResponse"/>
    </wsdl:operation>
  </wsdl:portType>${binding('EventsSoap11', 'soap')}${binding('EventsSoap12', 'soap12')}
  <wsdl:service name="LienthongEvents">
    <wsdl:port name="EventsSoap11Port" binding="tns:EventsSoap11"><soap:address location="${xmlEscape(address)}"/></wsdl:port>
    <wsdl:port name="EventsSoap12Port" binding="tns:EventsSoap12"><soap12:address location="${xmlEscape(address)}"/></wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}
