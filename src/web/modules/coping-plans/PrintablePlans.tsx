/**
 * The printable coping (cravings-and-triggers) and safety plans: the server's plain words in the
 * language of the copy (`plan.language`), the participant's own words as written. No data fetching
 * and no interface words here, so the same views serve the coach's print page and the page a
 * participant opens from a shared link.
 */
import type { PrintableCopingT, PrintableSafetyT } from './coping.api';
import './coping.css';

export function PrintableCopingPlanView({ plan }: { plan: PrintableCopingT }) {
  return (
    <article className="printable printable-coping" lang={plan.language} aria-labelledby="printable-coping-title">
      <h2 className="heading-m" id="printable-coping-title">
        {plan.title}
      </h2>
      {plan.participantName ? (
        <p className="printable-name">
          <strong>{plan.participantName}</strong>
        </p>
      ) : null}
      <p>{plan.intro}</p>
      {plan.versionLine ? <p className="printable-version">{plan.versionLine}</p> : null}
      {plan.sections.map((s) => (
        <section key={s.key} aria-labelledby={`printable-coping-${s.key}`}>
          <h3 className="heading-s" id={`printable-coping-${s.key}`}>
            {s.heading}
          </h3>
          {s.items.length === 0 ? (
            <p className="printable-empty">{s.empty}</p>
          ) : (
            <ul>
              {s.items.map((x, i) => (
                <li key={i}>{x}</li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </article>
  );
}

export function PrintableSafetyPlanView({ plan }: { plan: PrintableSafetyT }) {
  return (
    <article className="printable printable-safety" lang={plan.language} aria-labelledby="printable-safety-title">
      <h2 className="heading-m" id="printable-safety-title">
        {plan.title}
      </h2>
      {plan.participantName ? (
        <p className="printable-name">
          <strong>{plan.participantName}</strong>
        </p>
      ) : null}
      <p>{plan.intro}</p>
      {plan.versionLine ? <p className="printable-version">{plan.versionLine}</p> : null}
      <section aria-labelledby="printable-safety-crisis">
        <h3 className="heading-s" id="printable-safety-crisis">
          {plan.crisisHeading}
        </h3>
        <ul className="printable-crisis">
          {plan.crisisContacts.map((x, i) => (
            <li key={i}>{i === 0 ? <strong>{x}</strong> : x}</li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="printable-safety-naloxone">
        <h3 className="heading-s" id="printable-safety-naloxone">
          {plan.naloxoneHeading}
        </h3>
        <p>{plan.naloxoneLine}</p>
        {plan.naloxoneKnownByLine ? <p>{plan.naloxoneKnownByLine}</p> : null}
      </section>
      <section aria-labelledby="printable-safety-overdose">
        <h3 className="heading-s" id="printable-safety-overdose">
          {plan.overdoseHeading}
        </h3>
        <ol className="printable-steps">
          {plan.overdoseSteps.map((x, i) => (
            <li key={i}>{x}</li>
          ))}
        </ol>
      </section>
    </article>
  );
}
