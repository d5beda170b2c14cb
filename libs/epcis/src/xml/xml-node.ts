/** One XML element with its namespace resolved: what the EPCIS XML mapper reads (built by the streaming reader). */
export interface XmlNode {
  /** Namespace URI; '' for the unqualified names EPCIS uses for its standard fields. */
  uri: string;
  local: string;
  /** The prefix the document wrote, kept to name extension fields as their author did. */
  prefix: string;
  attributes: XmlAttribute[];
  children: XmlNode[];
  /** Character data directly inside the element (untrimmed). */
  text: string;
  /** 1-based line of the start tag, for error messages. */
  line: number;
}

export interface XmlAttribute {
  uri: string;
  local: string;
  prefix: string;
  value: string;
}

export const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

export function attribute(node: XmlNode, local: string, uri = ''): string | undefined {
  return node.attributes.find((a) => a.local === local && a.uri === uri)?.value;
}

/** Unqualified children with this local name (EPCIS standard fields are unqualified). */
export function childrenNamed(node: XmlNode, local: string): XmlNode[] {
  return node.children.filter((c) => c.uri === '' && c.local === local);
}

export function childNamed(node: XmlNode, local: string): XmlNode | undefined {
  return node.children.find((c) => c.uri === '' && c.local === local);
}

export function textOf(node: XmlNode): string {
  return node.text.trim();
}
