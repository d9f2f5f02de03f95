/**
 * English prompt names for saying numbers, digits and characters (Asterisk 20, main/say.c
 * `ast_say_number_full_en()`, `ast_get_digit_str()`, `ast_get_character_str()`).
 */

/** The prompts that say `number` in English; undefined when it is too big (≥ 1 billion). */
export function numberPrompts(number: number): string[] | undefined {
  const prompts: string[] = [];
  let rest = Math.trunc(number);
  if (rest === 0) return ['digits/0'];
  let sayHundred = false;
  while (rest !== 0 || sayHundred) {
    if (rest < 0) {
      prompts.push('digits/minus');
      rest = -rest;
    } else if (sayHundred) {
      prompts.push('digits/hundred');
      sayHundred = false;
    } else if (rest < 20) {
      prompts.push(`digits/${rest}`);
      rest = 0;
    } else if (rest < 100) {
      prompts.push(`digits/${Math.floor(rest / 10) * 10}`);
      rest %= 10;
    } else if (rest < 1000) {
      prompts.push(`digits/${Math.floor(rest / 100)}`);
      sayHundred = true;
      rest %= 100;
    } else if (rest < 1_000_000) {
      const thousands = numberPrompts(Math.floor(rest / 1000));
      if (!thousands) return undefined;
      prompts.push(...thousands, 'digits/thousand');
      rest %= 1000;
    } else if (rest < 1_000_000_000) {
      const millions = numberPrompts(Math.floor(rest / 1_000_000));
      if (!millions) return undefined;
      prompts.push(...millions, 'digits/million');
      rest %= 1_000_000;
    } else {
      return undefined;
    }
  }
  return prompts;
}

/** SayDigits(): one prompt per digit, `*`, `#` and `-`; other characters are skipped. */
export function digitPrompts(text: string): string[] {
  const prompts: string[] = [];
  for (const char of text) {
    if (char >= '0' && char <= '9') prompts.push(`digits/${char}`);
    else if (char === '*') prompts.push('digits/star');
    else if (char === '#') prompts.push('digits/pound');
    else if (char === '-') prompts.push('digits/minus');
  }
  return prompts;
}

const CHARACTER_PROMPTS: Readonly<Record<string, string>> = {
  '*': 'digits/star',
  '#': 'digits/pound',
  '!': 'letters/exclaimation-point',
  '@': 'letters/at',
  $: 'letters/dollar',
  '-': 'letters/dash',
  '.': 'letters/dot',
  '=': 'letters/equals',
  '+': 'letters/plus',
  '/': 'letters/slash',
  ' ': 'letters/space',
};

/**
 * SayAlpha(): letters as `letters/x` (with `uppercase`/`lowercase` before them when the case
 * is announced), digits and a few symbols; other characters are skipped.
 */
export function characterPrompts(text: string, announceCase: 'none' | 'upper' | 'lower' | 'all' = 'none'): string[] {
  const prompts: string[] = [];
  for (const char of text) {
    const symbol = CHARACTER_PROMPTS[char];
    if (symbol) prompts.push(symbol);
    else if (char >= '0' && char <= '9') prompts.push(`digits/${char}`);
    else if (/[a-zA-Z]/.test(char)) {
      const upper = char >= 'A' && char <= 'Z';
      if ((upper && (announceCase === 'upper' || announceCase === 'all')) || (!upper && (announceCase === 'lower' || announceCase === 'all'))) {
        prompts.push(upper ? 'uppercase' : 'lowercase');
      }
      prompts.push(`letters/${char.toLowerCase()}`);
    }
  }
  return prompts;
}
