// Runs in a worker thread (piscina): libxml2-wasm is an ES module with top-level await, which the CommonJS
// services cannot require, and XSD validation is CPU work best kept off the event loop that serves Kafka.
import { XmlDocument, XsdValidator } from 'libxml2-wasm';
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workerData } from 'node:worker_threads';

// The EPCIS XSDs import their siblings (SBDH, EPCglobal base types, the event schema) by relative path: read from
// the file system.
xmlRegisterFsInputProviders();

function load(file) {
  const path = join(workerData.xsdDir, file);
  if (!existsSync(path)) return undefined;
  return XsdValidator.fromDoc(XmlDocument.fromBuffer(readFileSync(path), { url: path }));
}

/** Root namespace → validator; `workerData.schemas` names each one's file (a missing optional one is left out). */
const validators = new Map(
  Object.entries(workerData.schemas).map(([namespace, file]) => [namespace, load(file)]),
);
const fallback = validators.get(workerData.defaultNamespace);

/**
 * Validates one EPCIS 2.0 XML document against the schema of its root (events, or master data); at most `maxErrors`
 * findings, each with its line. A master data document is not checked when the folder lacks its XSD.
 */
export default function validate({ xml, maxErrors = 20 }) {
  let document;
  try {
    document = XmlDocument.fromBuffer(xml);
  } catch (error) {
    return { valid: false, errors: [{ message: String(error.message ?? error), line: 0 }] };
  }
  try {
    const namespace = document.root.namespaceUri;
    // An unknown root is checked against the event schema, which names it in its refusal.
    const validator = validators.has(namespace) ? validators.get(namespace) : fallback;
    if (!validator) return { valid: true, errors: [] };
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
