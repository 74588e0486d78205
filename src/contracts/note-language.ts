/**
 * The note aid: flags clinical or stigmatizing wording in a note and suggests person-first,
 * peer-voice alternatives. Pure and dependency-free (the web runs it as the coach types; the
 * server runs it on save to decide whether a note goes to review). The word lists are data.
 *
 * Pattern syntax (kept deliberately small so the lists stay readable data):
 *  - words are matched case-insensitively, on whole-word boundaries (Unicode letters/digits);
 *  - a space matches any run of white space; a hyphen matches "-", a space or nothing
 *    ("non-compliant" also finds "noncompliant" and "non compliant");
 *  - `{a,b,c}` expands to alternatives ("diagnos{e,ed,is}" → diagnose, diagnosed, diagnosis);
 *  - an accented vowel also matches its plain form ("recaída" finds "recaida").
 * Phrases such as "is clean" are listed whole: the bare word "clean" is NOT flagged, so
 * "cleaned the kitchen" or "clean clothes" stay quiet.
 */
export interface NoteFlag {
  /** The words as found in the note. */
  found: string;
  /** Where in the note (character offsets). */
  start: number;
  end: number;
  /** Suggested wording, in the note's language. */
  suggestions: string[];
  /** Why: 'clinical' (not the peer's role) or 'stigmatizing'. */
  reason: 'clinical' | 'stigmatizing';
}

export type NoteLanguage = 'en' | 'es';

export interface NoteLanguageEntry {
  /** A short stable key (tests and analytics use it; never shown). */
  key: string;
  patterns: readonly string[];
  reason: NoteFlag['reason'];
  suggestions: readonly string[];
}

export const NOTE_LANGUAGE_ENTRIES: Readonly<Record<NoteLanguage, readonly NoteLanguageEntry[]>> = {
  en: [
    {
      key: 'diagnosis',
      patterns: ['diagnos{e,es,ed,ing,is}', 'dx'],
      reason: 'clinical',
      suggestions: ['says they have been told they have…', 'shares that they live with…'],
    },
    {
      key: 'prescribed',
      patterns: ['prescrib{e,es,ed,ing}'],
      reason: 'clinical',
      suggestions: ['their provider recommended…', 'they take…'],
    },
    {
      key: 'addict',
      patterns: ['addict{,s}', 'junkie{,s}', 'junky', 'abuser{,s}', 'druggie{,s}'],
      reason: 'stigmatizing',
      suggestions: ['person who uses drugs', 'person in recovery'],
    },
    {
      key: 'clean',
      patterns: [
        '{is,was,were,are,be,been,being,am,stay,stays,stayed,staying,got,get,gets,getting,keep,keeps,kept,remain,remains,remained,remaining,tested,tests,test,came back,come back,comes back} clean',
        'clean {for,since,time,date,and sober,urine,test,tests,screen,screens,UA,UAs,drop,drops,tox}',
      ],
      reason: 'stigmatizing',
      suggestions: ['not using', 'in recovery', 'tested negative'],
    },
    {
      key: 'dirty',
      patterns: [
        '{is,was,were,are,been,tested,tests,test,came back,come back,comes back} dirty',
        'dirty {urine,test,tests,screen,screens,UA,UAs,drop,drops,tox}',
      ],
      reason: 'stigmatizing',
      suggestions: ['tested positive', 'still using', 'currently using'],
    },
    {
      key: 'relapse',
      patterns: ['relaps{e,es,ed,ing}'],
      reason: 'stigmatizing',
      suggestions: ['return to use', 'returned to use'],
    },
    {
      key: 'failed',
      patterns: ['failed {treatment,rehab,detox,recovery,the program,the programme,out of treatment,out of rehab,MOUD,MAT}'],
      reason: 'stigmatizing',
      suggestions: ['treatment has not worked for them yet', 'left treatment', 'is trying again'],
    },
    {
      key: 'noncompliant',
      patterns: ['non-complian{t,ce}', 'non-adheren{t,ce}'],
      reason: 'stigmatizing',
      suggestions: ['chose not to…', 'had barriers to…'],
    },
    {
      key: 'drug_seeking',
      patterns: ['drug-seek{ing,er,ers}'],
      reason: 'stigmatizing',
      suggestions: ['asked for pain relief', 'asked for medication'],
    },
    {
      key: 'substance_abuse',
      patterns: ['{substance,drug,opioid,opiate,alcohol,heroin,fentanyl} abuse'],
      reason: 'stigmatizing',
      suggestions: ['substance use', 'drug use'],
    },
  ],
  es: [
    {
      key: 'diagnosis',
      patterns: [
        'diagnostica{do,da,dos,das,r,ron}',
        'diagnosticó',
        'diagnóstico{,s}',
      ],
      reason: 'clinical',
      suggestions: ['dice que le han dicho que tiene…', 'comparte que vive con…'],
    },
    {
      key: 'prescribed',
      patterns: [
        'receta{do,da,dos,das,r,ron}',
        'recetó',
        'prescri{to,ta,tos,tas,bir,bió,bieron}',
      ],
      reason: 'clinical',
      suggestions: ['su proveedor le recomendó…', 'toma…'],
    },
    {
      key: 'addict',
      patterns: ['{adict,drogadict}{o,a,os,as}', 'yonqui{,s}', 'tecato{,s}', 'abusador{,a,es,as}', 'vicioso{,s}'],
      reason: 'stigmatizing',
      suggestions: ['persona que usa drogas', 'persona en recuperación'],
    },
    {
      key: 'clean',
      patterns: [
        '{está,estaba,estuvo,estar,sigue,seguía,se mantiene,se mantuvo,mantenerse,salió,sale,dio,ha estado} limpi{o,a,os,as}',
        'limpi{o,a,os,as} {desde,de drogas,y sobrio,y sobria}',
        'tiempo limpio',
        '{prueba,pruebas,orina,análisis,examen} limpi{a,as,o,os}',
      ],
      reason: 'stigmatizing',
      suggestions: ['no está usando', 'en recuperación', 'resultado negativo'],
    },
    {
      key: 'dirty',
      patterns: [
        '{está,estaba,salió,sale,dio} suci{o,a,os,as}',
        '{prueba,pruebas,orina,análisis,examen} suci{a,as,o,os}',
      ],
      reason: 'stigmatizing',
      suggestions: ['resultado positivo', 'sigue usando'],
    },
    {
      key: 'relapse',
      patterns: ['recaída{,s}', 'recayó', 'recae{,r,n}', 'recayendo', 'recayeron', 'ha recaído'],
      reason: 'stigmatizing',
      suggestions: ['volver a usar', 'volvió a usar'],
    },
    {
      key: 'failed',
      patterns: ['{fracasó,falló} {en el tratamiento,el tratamiento,en rehabilitación,en la desintoxicación,en el programa}'],
      reason: 'stigmatizing',
      suggestions: ['el tratamiento todavía no le ha funcionado', 'dejó el tratamiento', 'lo está intentando otra vez'],
    },
    {
      key: 'noncompliant',
      patterns: ['incumplimiento', 'incumplió', 'incumplidor{,a,es,as}', 'no cumplidor{,a,es,as}', 'no adherente{,s}', 'falta de adherencia'],
      reason: 'stigmatizing',
      suggestions: ['decidió no…', 'tuvo obstáculos para…'],
    },
    {
      key: 'drug_seeking',
      patterns: ['{busca,buscando,buscador de,buscadora de,búsqueda de} drogas'],
      reason: 'stigmatizing',
      suggestions: ['pidió alivio del dolor', 'pidió medicamento'],
    },
    {
      key: 'substance_abuse',
      patterns: ['abuso de {sustancias,drogas,opioides,opiáceos,alcohol,heroína,fentanilo}'],
      reason: 'stigmatizing',
      suggestions: ['uso de sustancias', 'consumo de sustancias'],
    },
  ],
};

/** Expands `{a,b}` groups (left to right, nested groups are not supported). */
function expand(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open < 0) return [pattern];
  const close = pattern.indexOf('}', open);
  if (close < 0) return [pattern];
  const head = pattern.slice(0, open);
  const tail = expand(pattern.slice(close + 1));
  const options = pattern.slice(open + 1, close).split(',');
  return options.flatMap((o) => tail.map((t) => head + o + t));
}

const ACCENTS: Record<string, string> = { á: '[aá]', é: '[eé]', í: '[ií]', ó: '[oó]', ú: '[uú]', ü: '[uü]', ñ: 'ñ' };

function toRegexSource(phrase: string): string {
  let out = '';
  for (const ch of phrase.toLowerCase()) {
    if (ch === ' ') out += '\\s+';
    else if (ch === '-') out += '[-\\s]?';
    else if (ACCENTS[ch]) out += ACCENTS[ch];
    else out += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}

interface Compiled {
  entry: NoteLanguageEntry;
  /** One per pattern, so overlapping phrases of different patterns are all found. */
  regexes: RegExp[];
}

const cache = new Map<NoteLanguage, Compiled[]>();

function compiled(lang: NoteLanguage): Compiled[] {
  const hit = cache.get(lang);
  if (hit) return hit;
  const list = NOTE_LANGUAGE_ENTRIES[lang].map((entry) => ({
    entry,
    regexes: entry.patterns.map((pattern) => {
      const phrases = expand(pattern).sort((a, b) => b.length - a.length);
      const body = phrases.map(toRegexSource).join('|');
      return new RegExp(`(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])`, 'giu');
    }),
  }));
  cache.set(lang, list);
  return list;
}

/**
 * Every flagged wording in `text`, in order of appearance. Overlapping matches are merged into
 * one flag over both (keeping the earliest one's reason and suggestions).
 */
export function checkNoteLanguage(text: string, lang: NoteLanguage): NoteFlag[] {
  if (!text) return [];
  const all: NoteFlag[] = [];
  for (const { entry, regexes } of compiled(lang)) {
    for (const m of regexes.flatMap((regex) => [...text.matchAll(regex)])) {
      const start = m.index;
      all.push({
        found: m[0],
        start,
        end: start + m[0].length,
        suggestions: [...entry.suggestions],
        reason: entry.reason,
      });
    }
  }
  all.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: NoteFlag[] = [];
  for (const flag of all) {
    const last = kept[kept.length - 1];
    if (last && flag.start < last.end) {
      // Overlapping phrases of one idea ("is clean" + "clean for"): one flag over both.
      if (flag.end > last.end) {
        last.end = flag.end;
        last.found = text.slice(last.start, last.end);
      }
      continue;
    }
    kept.push(flag);
  }
  return kept;
}
