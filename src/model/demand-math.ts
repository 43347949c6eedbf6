import type { MathNode } from 'mathjs';
import { compileDemandExpression, type DemandEvaluator } from './demand-expression.js';

/**
 * The part of mathjs the planner uses: its parser, and a compiler that checks a demand expression and evaluates it with
 * the small interpreter of expression.ts. mathjs's own `evaluate` and `compile` are not handed out, so none of its
 * other functions (matrices, units, `import`, `evaluate` itself) is reachable from a scenario.
 */
export interface DemandMath {
  /** mathjs's parser: text to syntax tree; nothing is evaluated. */
  readonly parse: (text: string) => MathNode;
  /** A demand expression compiled for the interpreter (expression.ts `compileDemandExpression`). */
  readonly compile: (text: string) => DemandEvaluator;
}

let loaded: DemandMath | undefined;

/**
 * The demand-expression language on mathjs's parser, imported on first use: loading mathjs costs a few hundred
 * milliseconds of start-up that commands without demand expressions (and `headroom --version`) should not pay. Later
 * calls return the same object.
 */
export async function loadMathjs(): Promise<DemandMath> {
  if (loaded) return loaded;
  const { parse } = await import('mathjs');
  const parseText = (text: string): MathNode => parse(text);
  loaded = { parse: parseText, compile: (text) => compileDemandExpression(text, parseText) };
  return loaded;
}
