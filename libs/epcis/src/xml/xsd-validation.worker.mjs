// Runs in a worker thread (piscina): libxml2-wasm is an ES module with top-level await, which the CommonJS
// services cannot require, and XSD validation is CPU work best kept off the event loop that serves Kafka.
import { XmlDocument, XsdValidator } from 'libxml2-wasm';
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workerData } from 'node:worker_threads';

// The EPCIS XSD imports its siblings (SBDH, EPCglobal base types) by relative path: read from the file system.
xmlRegisterFsInputProviders();
const schemaPath = join(workerData.xsdDir, 'EPCglobal-epcis-2_0.xsd');
const schemaDocument = XmlDocument.fromBuffer(readFileSync(schemaPath), { url: schemaPath });
const validator = XsdValidator.fromDoc(schemaDocument);

/** Validates one EPCIS 2.0 XML document; at most `maxErrors` findings, each with its line. */
export default function validate({ xml, maxErrors = 20 }) {
  let document;
  try {
    document = XmlDocument.fromBuffer(xml);
  } catch (error) {
    return { valid: false, errors: [{ message: String(error.message ?? error), line: 0 }] };
  }
  try {
    validator.validate(document);
    return { valid: true, errors: [] };
  } catch (error) {
    const details = Array.isArray(error.details) ? error.details : [];
    const errors = details.length
      ? details.slice(0, maxErrors).map((d) => ({ message: String(d.message).trim(), line: d.line }))
      : [{ message: String(error.message ?? error).trim(), line: 0 }];
    return { valid: false, errors };
  } finally {
    document.dispose();
  }
}
