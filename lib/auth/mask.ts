/**
 * Field masking for viewers. A field is masked when its name, compared without regard to case,
 * `_` or `-`, contains a name of MASK_FIELDS: `customerEmail`, `customer_email` and
 * `CUSTOMER-EMAIL` all contain `email`. A masked value becomes "•••" at any depth, inside arrays
 * and inside strings that hold JSON. Nesting past MASK_DEPTH_MAX is masked whole: what cannot be
 * walked is not shown (fail closed). Pure: returns copies, never changes the input.
 *
 * A Masker also remembers every value it masked, so that the same values can be cut out of free
 * text that quotes them (an error message "Mailbox jane@… rejected"): see `text`. lib/dlq/view.ts
 * applies it to dead letters; admins see everything as stored.
 */
import { getConfig } from "../config.ts";

export const MASK = "•••";

/** Nesting walked; anything deeper is masked whole. */
export const MASK_DEPTH_MAX = 64;
/**
 * Masked values shorter than this are not searched for in text: "1", "US" or "yes" occur in
 * every message, replacing them would shred it, and a value that short is guessed anyway.
 */
const MASK_TEXT_MIN_VALUE = 4;
/** Distinct values searched for in text; an entry with more has its text hidden whole (fail closed). */
export const MASK_TEXT_VALUES_MAX = 200;
/** Text searched at most: a longer text is cut first (stored messages are bounded well below). */
export const MASK_TEXT_MAX = 8192;
/** What a viewer reads instead of a text that cannot be checked within those bounds. */
export const MASK_TEXT_HIDDEN = `${MASK} (hidden: it may quote masked values)`;

/** A field name as compared: lowercase, without `_` and `-`. */
const fieldKey = (name: string) => name.toLowerCase().replaceAll("_", "").replaceAll("-", "");

export class Masker {
  private readonly names: string[];
  private readonly values = new Set<string>();
  private overflow = false;
  private ordered: string[] | null = null;

  constructor(fields: readonly string[] = getConfig().MASK_FIELDS) {
    this.names = [...new Set(fields.map(fieldKey).filter(Boolean))];
  }

  /** Whether a field of this name is masked. */
  masks(name: string): boolean {
    const key = fieldKey(name);
    return this.names.some((n) => key.includes(n));
  }

  /** A copy of `value` with its masked fields as MASK; their values are remembered for `text`. */
  value<T>(value: T): T {
    return this.names.length ? (this.walk(value, 0) as T) : value;
  }

  /** JSON text (a payload kept as text): masked inside, still text; text that is not JSON is hidden. */
  json(text: string): string {
    if (!this.names.length) return text;
    try {
      return this.jsonText(text, JSON.parse(text), 0);
    } catch {
      return MASK;
    }
  }

  /** Text that cannot be read field by field (a corrupt payload): hidden whole while anything is masked. */
  opaque(text: string): string {
    return this.names.length ? MASK : text;
  }

  /**
   * `text` with every remembered value, and its JSON-escaped form, replaced by MASK. Plain string
   * search (no pattern is built from a value), longest value first so one that holds another
   * goes whole. At most MASK_TEXT_MAX characters are kept: the search runs over a window one
   * longest value longer, and that margin is dropped after, so a value cut by the end is gone too.
   */
  text(text: string): string {
    if (this.overflow) return MASK_TEXT_HIDDEN;
    if (this.values.size === 0) return text;
    this.ordered ??= [...this.values].sort((a, b) => b.length - a.length);
    const margin = this.ordered[0].length;
    const cut = text.length > MASK_TEXT_MAX + margin;
    let out = cut ? text.slice(0, MASK_TEXT_MAX + margin) : text;
    for (const v of this.ordered) if (out.includes(v)) out = out.replaceAll(v, MASK);
    return cut ? `${out.slice(0, out.length - margin)}…` : out;
  }

  private walk(v: unknown, depth: number): unknown {
    if (v === null || v === undefined) return v;
    if (depth > MASK_DEPTH_MAX) return this.hide(v);
    if (typeof v === "string") return this.jsonInString(v, depth);
    if (typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map((x) => this.walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v))
      out[k] = this.masks(k) && x !== null && x !== undefined ? this.hide(x) : this.walk(x, depth + 1);
    return out;
  }

  /** A string holding a JSON object or array is masked inside and stays a string. */
  private jsonInString(text: string, depth: number): string {
    const t = text.trimStart();
    if (!(t.startsWith("{") || t.startsWith("["))) return text;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return text;
    }
    return this.jsonText(text, parsed, depth + 1);
  }

  private jsonText(text: string, parsed: unknown, depth: number): string {
    const masked = this.walk(parsed, depth);
    return JSON.stringify(masked) === JSON.stringify(parsed) ? text : JSON.stringify(masked);
  }

  /** MASK in place of a value; the strings and numbers in it are remembered for `text`. */
  private hide(v: unknown, depth = 0): string {
    if (typeof v === "string" || typeof v === "number" || typeof v === "bigint") this.remember(String(v));
    else if (v && typeof v === "object" && depth <= MASK_DEPTH_MAX)
      for (const x of Object.values(v)) this.hide(x, depth + 1);
    return MASK;
  }

  private remember(value: string) {
    if (value.length < MASK_TEXT_MIN_VALUE || value.length > MASK_TEXT_MAX) return;
    for (const v of new Set([value, JSON.stringify(value).slice(1, -1)])) {
      if (this.values.has(v)) continue;
      if (this.values.size >= MASK_TEXT_VALUES_MAX) this.overflow = true;
      else this.values.add(v);
      this.ordered = null;
    }
  }
}

/** `value` with its masked fields as MASK (the fields of MASK_FIELDS unless given). */
export function maskFields<T>(value: T, fields?: readonly string[]): T {
  return new Masker(fields).value(value);
}
