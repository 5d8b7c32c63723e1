// Types of living_well.js: the living-well crate in WebAssembly.

export type Force = "purpose" | "power" | "practice";
export type Perspective = "people" | "practitioners";
export type Orientation = "relational" | "mechanistic";
export type Reading = "current" | "desired";
/** A rating on the scale, "na" (not applicable), "dk" (don't know), or null (not rated). */
export type Answer = number | "na" | "dk" | null;

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export interface StatementInfo {
  id: string;
  force: Force;
  perspective: Perspective;
  orientation: Orientation;
  text: string;
}

export interface DefinitionInfo {
  id: string;
  version: string;
  title: string;
  /** Lowercase hex SHA-256 over each statement's id, cell and weight. */
  fingerprint: string;
  fingerprint_short: string;
  statements: StatementInfo[];
}

export interface ResponseInput {
  answers: Record<string, Answer>;
  respondent?: string;
  group?: string;
  reading?: Reading;
  /** The rating scale, 1..5 by default. */
  scale?: { min: number; max: number };
}

export type PolePattern = "relational" | "mechanistic" | "held_in_tension" | "neither";

export interface Polarity {
  pattern: PolePattern;
  relational: number;
  mechanistic: number;
}

/** Every score is in its documented range, or null where it is missing (never 0). */
export interface Profile {
  fingerprint: string;
  threshold: number;
  /** Keyed `force.perspective.orientation`, in [0, 1]. */
  poles: Record<string, number | null>;
  /** Keyed `force.perspective`, in [-1, 1]: relational pole minus mechanistic pole. */
  balances: Record<string, number | null>;
  /** Keyed by force, in [-1, 1]. */
  force_balances: Record<Force, number | null>;
  relational_index: number | null;
  /** Keyed by force, in [-2, 2]: people's balance minus practitioners'. */
  perspective_gaps: Record<Force, number | null>;
  /** Keyed `force.perspective`. */
  pole_readings: Record<string, Polarity | null>;
}

export interface LivingWell {
  /** Validates a definition document; the error is the crate's message. */
  validateDefinition(json: string): Result<DefinitionInfo>;
  /** Scores one response, under the canonical definition or the one given. */
  score(response: ResponseInput, definitionJson?: string | null): Result<Profile>;
}

/** Instantiates the module from its bytes, a fetch Response (or a promise of one), or a URL. */
export function load(
  source: Uint8Array | ArrayBuffer | Response | Promise<Response> | string | URL,
): Promise<LivingWell>;
