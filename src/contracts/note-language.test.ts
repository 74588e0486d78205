import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkNoteLanguage, NOTE_LANGUAGE_ENTRIES, type NoteLanguage } from './note-language.js';

/** The flagged words, as found. */
const found = (text: string, lang: NoteLanguage) => checkNoteLanguage(text, lang).map((f) => f.found);

describe('the note aid, English', () => {
  const flagged: [string, string, 'clinical' | 'stigmatizing'][] = [
    ['She was diagnosed with depression last year.', 'diagnosed', 'clinical'],
    ['His diagnosis is bipolar.', 'diagnosis', 'clinical'],
    ['The doctor will diagnose him tomorrow.', 'diagnose', 'clinical'],
    ['Dr. Lee prescribed Suboxone.', 'prescribed', 'clinical'],
    ['They are prescribing methadone.', 'prescribing', 'clinical'],
    ['He calls himself an addict.', 'addict', 'stigmatizing'],
    ['Junkies hang out at the bridge.', 'Junkies', 'stigmatizing'],
    ['Neighbors called him an abuser.', 'abuser', 'stigmatizing'],
    ['She is clean now.', 'is clean', 'stigmatizing'],
    ['He has stayed clean since March.', 'stayed clean since', 'stigmatizing'],
    ['Clean for 90 days!', 'Clean for', 'stigmatizing'],
    ['Proud of her clean time.', 'clean time', 'stigmatizing'],
    ['The test came back dirty.', 'came back dirty', 'stigmatizing'],
    ['Dirty urine on Monday.', 'Dirty urine', 'stigmatizing'],
    ['He relapsed and failed.', 'relapsed', 'stigmatizing'],
    ['Worried about a relapse.', 'relapse', 'stigmatizing'],
    ['She failed treatment twice.', 'failed treatment', 'stigmatizing'],
    ['Non-compliant with meds.', 'Non-compliant', 'stigmatizing'],
    ['Noncompliant with meds.', 'Noncompliant', 'stigmatizing'],
    ['History of noncompliance.', 'noncompliance', 'stigmatizing'],
    ['Staff said he was drug-seeking.', 'drug-seeking', 'stigmatizing'],
    ['Staff said he was drug seeking.', 'drug seeking', 'stigmatizing'],
    ['Long history of substance abuse.', 'substance abuse', 'stigmatizing'],
  ];
  it.each(flagged)('flags %j', (text, words, reason) => {
    const flags = checkNoteLanguage(text, 'en');
    expect(flags).toHaveLength(1);
    const [flag] = flags;
    expect(flag?.found).toBe(words);
    expect(flag?.reason).toBe(reason);
    expect(text.slice(flag?.start, flag?.end)).toBe(words);
    expect(flag?.suggestions.length).toBeGreaterThan(0);
  });

  const quiet = [
    'We cleaned the kitchen together.',
    'He brought clean clothes to the shelter.',
    'The dirty dishes can wait.',
    'She is cleaning up her apartment.',
    'He is addicted to coffee, he jokes.', // "addicted" is not the noun "addict"
    'Addiction services are on the second floor.',
    'The prescription is ready at the pharmacy.',
    'He failed his driving test and laughed about it.',
    'She is compliant with nothing but her own goals.',
    'We talked about substance use and what she wants next.',
    'A person who uses drugs, in recovery, doing well.',
    'Clean-up day at the park.',
    'The diagnostician was kind.',
  ];
  it.each(quiet)('does not flag %j', (text) => {
    expect(checkNoteLanguage(text, 'en')).toEqual([]);
  });

  it('suggests the person-first words the program asked for', () => {
    expect(checkNoteLanguage('relapsed', 'en')[0]?.suggestions).toContain('return to use');
    expect(checkNoteLanguage('an addict', 'en')[0]?.suggestions).toEqual(['person who uses drugs', 'person in recovery']);
    expect(checkNoteLanguage('substance abuse', 'en')[0]?.suggestions).toContain('substance use');
    expect(checkNoteLanguage('non-compliant', 'en')[0]?.suggestions).toEqual(['chose not to…', 'had barriers to…']);
  });

  it('finds several flags with correct offsets, in order, across lines', () => {
    const text = 'Met at ED.\nHe relapsed after being clean for a year;\nDr said diagnosed, PRESCRIBED bup.';
    const flags = checkNoteLanguage(text, 'en');
    expect(flags.map((f) => f.found)).toEqual(['relapsed', 'being clean for', 'diagnosed', 'PRESCRIBED']);
    for (const f of flags) expect(text.slice(f.start, f.end)).toBe(f.found);
    expect(flags[0]?.start).toBe(text.indexOf('relapsed'));
  });

  it('flags an overlapping phrase once, over both', () => {
    // "is clean" and "clean for" overlap on "clean".
    expect(found('She is clean for a year.', 'en')).toEqual(['is clean for']);
  });

  it('an empty note has no flags', () => {
    expect(checkNoteLanguage('', 'en')).toEqual([]);
  });
});

describe('the note aid, Spanish', () => {
  const flagged: [string, string, 'clinical' | 'stigmatizing'][] = [
    ['Fue diagnosticada con depresión.', 'diagnosticada', 'clinical'],
    ['Su diagnóstico es reciente.', 'diagnóstico', 'clinical'],
    ['Le recetaron buprenorfina.', 'recetaron', 'clinical'],
    ['El médico le recetó metadona.', 'recetó', 'clinical'],
    ['Medicamento recetado ayer.', 'recetado', 'clinical'],
    ['Dice que es adicto.', 'adicto', 'stigmatizing'],
    ['La llamaron drogadicta.', 'drogadicta', 'stigmatizing'],
    ['Está limpio desde marzo.', 'Está limpio desde', 'stigmatizing'],
    ['La prueba salió sucia.', 'salió sucia', 'stigmatizing'],
    ['Orina sucia el lunes.', 'Orina sucia', 'stigmatizing'],
    ['Tuvo una recaída.', 'recaída', 'stigmatizing'],
    ['Tuvo una recaida.', 'recaida', 'stigmatizing'],
    ['Recayó el fin de semana.', 'Recayó', 'stigmatizing'],
    ['Incumplimiento del tratamiento.', 'Incumplimiento', 'stigmatizing'],
    ['Historial de abuso de sustancias.', 'abuso de sustancias', 'stigmatizing'],
    ['Fracasó en el tratamiento.', 'Fracasó en el tratamiento', 'stigmatizing'],
  ];
  it.each(flagged)('flags %j', (text, words, reason) => {
    const flags = checkNoteLanguage(text, 'es');
    expect(flags).toHaveLength(1);
    expect(flags[0]?.found).toBe(words);
    expect(flags[0]?.reason).toBe(reason);
    expect(text.slice(flags[0]?.start, flags[0]?.end)).toBe(words);
  });

  const quiet = [
    'Limpiamos la cocina juntos.',
    'Trajo ropa limpia al refugio.',
    'La adicción no la define.',
    'Los platos sucios pueden esperar.',
    'Hablamos del uso de sustancias y de lo que quiere.',
    'Cumplió su meta de la semana.',
    'Recetas de cocina para la reunión.',
  ];
  it.each(quiet)('does not flag %j', (text) => {
    expect(checkNoteLanguage(text, 'es')).toEqual([]);
  });

  it('suggests Spanish wording', () => {
    expect(checkNoteLanguage('recayó', 'es')[0]?.suggestions).toContain('volvió a usar');
    expect(checkNoteLanguage('adicto', 'es')[0]?.suggestions).toContain('persona que usa drogas');
  });

  it('the English list does not apply to a Spanish note and vice versa', () => {
    expect(checkNoteLanguage('He relapsed.', 'es')).toEqual([]);
    expect(checkNoteLanguage('Tuvo una recaída.', 'en')).toEqual([]);
  });
});

describe('the note aid, for any text', () => {
  it('never throws and always returns in-range, ordered, non-overlapping flags that match the text', () => {
    const words = [
      ...NOTE_LANGUAGE_ENTRIES.en.flatMap((e) => e.patterns),
      'clean', 'dirty', 'is', 'kitchen', 'Recaída', 'limpio', 'está', ' ', '\n', '-', 'é',
    ];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...words), fc.string()), { maxLength: 20 }), fc.constantFrom<NoteLanguage>('en', 'es'), (parts, lang) => {
        const text = parts.join(' ');
        const flags = checkNoteLanguage(text, lang);
        let previousEnd = 0;
        for (const f of flags) {
          expect(f.start).toBeGreaterThanOrEqual(previousEnd);
          expect(f.end).toBeGreaterThan(f.start);
          expect(f.end).toBeLessThanOrEqual(text.length);
          expect(text.slice(f.start, f.end)).toBe(f.found);
          previousEnd = f.end;
        }
      }),
      { numRuns: 300 },
    );
  });
});
