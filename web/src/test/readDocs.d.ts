/** The text of docs/recorders/<name>.md, e.g. "dahua.fr". */
export function readRecorderDoc(name: string): string;
