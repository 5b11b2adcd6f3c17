// Component ids as the collector writes them: `type` or `type/name`. The type is what selects the
// factory; the name only tells two instances apart (`filter/probes`, `batch/2`).

export interface ComponentId {
  readonly type: string;
  readonly name: string;
  /** As written: `type` or `type/name`. */
  readonly id: string;
}

const TYPE_RE = /^[a-zA-Z][0-9a-zA-Z_]{0,62}$/;
const NAME_RE = /^[^\s/]{1,1024}$/;

/** Returns the parsed id, or a problem description. */
export function parseComponentId(text: string): ComponentId | string {
  const slash = text.indexOf('/');
  const type = (slash < 0 ? text : text.slice(0, slash)).trim();
  const name = slash < 0 ? '' : text.slice(slash + 1).trim();
  if (!TYPE_RE.test(type)) return `invalid component id "${text}": the type must start with a letter and hold only letters, digits and _`;
  if (slash >= 0 && !NAME_RE.test(name)) return `invalid component id "${text}": the name after "/" must be non-empty, without spaces or "/"`;
  return { type, name, id: slash < 0 ? type : `${type}/${name}` };
}
