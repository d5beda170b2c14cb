export * from './epcis-xml.reader';
export { NamespacePrefixes } from './epcis-xml.mapper';
export * from './xsd-validator';
export * from './epcis-xml.splitter';
export { EpcisXmlWriteError, writeEpcisQueryXml, writeEpcisXml } from './epcis-xml.writer';
