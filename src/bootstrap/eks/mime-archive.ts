/**
 * MIME multipart/mixed archives (RFC 2045, RFC 2046 §5.1) as EC2 user data: cloud-init and nodeadm
 * both read them. Karpenter merges an EC2NodeClass's user data this way on AL2023
 * (karpenter-provider-aws amifamily/bootstrap/mime): each part keeps its Content-Type and content.
 * carpool keeps each part's other headers too (Content-Transfer-Encoding, Content-Disposition), so a
 * base64 part still decodes on the machine.
 */

export interface MimePart {
  /** Header lines other than Content-Type, as written (folded lines joined with their breaks). */
  readonly headers: readonly string[];
  readonly contentType: string;
  readonly content: string;
}

export const ContentTypes = {
  nodeConfig: "application/node.eks.aws",
  shellScript: 'text/x-shellscript; charset="us-ascii"',
  cloudConfig: 'text/cloud-config; charset="us-ascii"',
} as const;

/** Why a user's archive cannot be read; the message names what is wrong. */
export type MimeReadResult =
  | { readonly ok: true; readonly parts: readonly MimePart[] }
  | { readonly ok: false; readonly message: string };

interface HeaderBlock {
  readonly lines: readonly string[];
  readonly body: string;
}

/** Header lines up to the first empty line; a line starting with a space or tab continues the last. */
function splitHeaders(text: string): HeaderBlock | undefined {
  const lines: string[] = [];
  let rest = text;
  for (;;) {
    const end = rest.search(/\r?\n/);
    if (end < 0) return undefined;
    const line = rest.slice(0, end);
    rest = rest.slice(end + (rest[end] === "\r" ? 2 : 1));
    if (line === "") return { lines, body: rest };
    if (/^[ \t]/.test(line) && lines.length > 0) lines[lines.length - 1] += `\n${line}`;
    else lines.push(line);
  }
}

function headerName(line: string): string {
  return line
    .slice(0, Math.max(0, line.indexOf(":")))
    .trim()
    .toLowerCase();
}

function headerValue(line: string): string {
  return line
    .slice(line.indexOf(":") + 1)
    .replace(/\r?\n[ \t]+/g, " ")
    .trim();
}

/** The boundary parameter of a multipart Content-Type (RFC 2045 §5.1: token or quoted string). */
function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary=(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(contentType);
  if (match === null) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, "$1") : match[2];
}

/** Reads a multipart archive: the top-level headers, then the parts between its delimiters. */
export function readMimeArchive(text: string): MimeReadResult {
  const top = splitHeaders(text.replace(/^\s+/, ""));
  if (top === undefined)
    return { ok: false, message: "the MIME headers do not end in an empty line" };
  const contentTypeLine = top.lines.find((line) => headerName(line) === "content-type");
  if (contentTypeLine === undefined) return { ok: false, message: "has no Content-Type header" };
  const contentType = headerValue(contentTypeLine);
  if (!/^multipart\//i.test(contentType))
    return { ok: false, message: `Content-Type ${JSON.stringify(contentType)} is not multipart` };
  const boundary = boundaryOf(contentType);
  if (boundary === undefined || boundary === "")
    return { ok: false, message: "the multipart Content-Type has no boundary parameter" };
  const lines = top.body.split("\n").map((line) => line.replace(/\r$/, ""));
  // RFC 2046 §5.1.1: delimiter lines may carry trailing whitespace ("transport padding").
  const isDelimiter = (line: string) => line.trimEnd() === `--${boundary}`;
  const isClose = (line: string) => line.trimEnd() === `--${boundary}--`;
  const first = lines.findIndex(isDelimiter);
  if (first < 0) return { ok: false, message: `no part starts with --${boundary}` };
  const parts: MimePart[] = [];
  let start = first + 1;
  for (let at = start; at < lines.length; at++) {
    const line = lines[at] ?? "";
    if (!isDelimiter(line) && !isClose(line)) continue;
    const part = readPart(lines.slice(start, at).join("\n"));
    if (part === undefined)
      return {
        ok: false,
        message: `part ${parts.length + 1}: its headers do not end in an empty line`,
      };
    parts.push(part);
    if (isClose(line)) return { ok: true, parts };
    start = at + 1;
  }
  return { ok: false, message: `the archive does not end with --${boundary}--` };
}

function readPart(text: string): MimePart | undefined {
  // A part without headers starts with its empty line (RFC 2046 §5.1.1: text/plain is implied).
  const block = splitHeaders(`${text}\n`);
  if (block === undefined) return undefined;
  const contentTypeLine = block.lines.find((line) => headerName(line) === "content-type");
  return {
    headers: block.lines.filter((line) => line !== contentTypeLine),
    contentType: contentTypeLine === undefined ? "text/plain" : headerValue(contentTypeLine),
    content: block.body.slice(0, -1),
  };
}

/**
 * The archive as text, LF line ends (as Karpenter writes it). The boundary is the first of
 * `carpool-boundary`, `carpool-boundary-1`, … that occurs nowhere in any part, so no line of a part
 * can end it early (RFC 2046 §5.1.1: the boundary must not appear inside the encapsulated parts).
 */
export function writeMimeArchive(parts: readonly MimePart[]): string {
  const boundary = freeBoundary(parts);
  const lines = ["MIME-Version: 1.0", `Content-Type: multipart/mixed; boundary="${boundary}"`, ""];
  for (const part of parts) {
    lines.push(`--${boundary}`, `Content-Type: ${part.contentType}`, ...part.headers, "");
    // The line break before a delimiter belongs to the delimiter, so content keeps its own last one.
    lines.push(part.content);
  }
  lines.push(`--${boundary}--`, "");
  return lines.join("\n");
}

function freeBoundary(parts: readonly MimePart[]): string {
  const texts = parts.flatMap((part) => [part.contentType, ...part.headers, part.content]);
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? "carpool-boundary" : `carpool-boundary-${n}`;
    if (!texts.some((text) => text.includes(candidate))) return candidate;
  }
}
