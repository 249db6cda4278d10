/** Checks on parsed YAML documents, which, unlike JSON, can refer to themselves. */

/** Whether a parsed document holds itself: a YAML alias inside its own anchor (`list: &a [*a]`). */
export function refersToItself(value: unknown, path: Set<object> = new Set()): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (path.has(value)) return true;
  path.add(value);
  // An alias used twice side by side is fine: only an object inside itself is a loop.
  const loops = Object.values(value).some((child) => refersToItself(child, path));
  path.delete(value);
  return loops;
}
