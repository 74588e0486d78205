/**
 * The main navigation: a row of links under the header on larger screens, and a bar at the
 * bottom of the screen on phones (under the thumb), with "More" for what does not fit.
 */
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useMe } from '../auth';
import { navFor, type Area, type NavItem } from '../roles';
import { Icon } from './Icon';
import { useDisclosure } from './useDisclosure';

const LABEL = {
  today: 'nav.today',
  participants: 'nav.participants',
  directory: 'nav.directory',
  partner: 'referrals.nav.inbox',
  reports: 'nav.reports',
  team: 'nav.team',
  admin: 'nav.admin',
  audit: 'nav.audit',
} as const satisfies Record<Area, string>;

export function useNavLabel(): (area: Area) => string {
  const { t } = useTranslation();
  return (area) => t(LABEL[area]);
}

export function TopNavigation() {
  const { t } = useTranslation();
  const label = useNavLabel();
  const items = navFor(useMe());
  return (
    <nav className="top-nav" aria-label={t('nav.label')}>
      <ul className="top-nav-list width-container">
        {items.map((item) => (
          <li key={item.area}>
            <NavLink to={item.to} end={item.to === '/'} className="top-nav-link">
              {label(item.area)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Five slots at most: four items and "More" when there are more than five. */
const BAR_SLOTS = 5;

export function BottomNavigation() {
  const { t } = useTranslation();
  const label = useNavLabel();
  const items = navFor(useMe());
  const more = useDisclosure<HTMLButtonElement, HTMLDivElement>();
  const inBar = items.length <= BAR_SLOTS ? items : items.slice(0, BAR_SLOTS - 1);
  const rest = items.length <= BAR_SLOTS ? [] : items.slice(BAR_SLOTS - 1);
  const link = (item: NavItem, cls: string) => (
    <NavLink to={item.to} end={item.to === '/'} className={cls}>
      <Icon name={item.area} />
      <span>{label(item.area)}</span>
    </NavLink>
  );
  return (
    <nav className="bottom-nav" aria-label={t('nav.label')}>
      {rest.length ? (
        <div ref={more.panel} id="bottom-nav-more" className="bottom-nav-more" hidden={!more.open}>
          <ul>
            {rest.map((item) => (
              <li key={item.area}>{link(item, 'bottom-nav-more-link')}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <ul className="bottom-nav-list">
        {inBar.map((item) => (
          <li key={item.area}>{link(item, 'bottom-nav-link')}</li>
        ))}
        {rest.length ? (
          <li>
            <button
              ref={more.button}
              type="button"
              className="bottom-nav-link"
              aria-expanded={more.open}
              aria-controls="bottom-nav-more"
              onClick={more.toggle}
            >
              <Icon name={more.open ? 'close' : 'more'} />
              <span>{t('nav.more')}</span>
            </button>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
