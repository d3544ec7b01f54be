import type { AnalyticsEvent } from '@backstage/frontend-plugin-api';
import {
  USAGE_ACTIONS,
  type UsageAction,
  type UsageEventInput,
} from '@internal/plugin-platform-metrics-common';

/**
 * The backend's limits (`POST /v1/usage/events`). One event over them would
 * have the whole batch rejected, so text is cut and ids that do not fit are left out.
 */
export const MAX_SUBJECT_LENGTH = 300;
export const MAX_SEARCH_TERM_LENGTH = 200;
const MAX_PLUGIN_ID_LENGTH = 100;
const MAX_EXTENSION_ID_LENGTH = 200;
const MAX_ID_LENGTH = 100;
const MAX_TEMPLATE_REF_LENGTH = 300;

const isUsageAction = (action: string): action is UsageAction =>
  (USAGE_ACTIONS as readonly string[]).includes(action);

/** A non-blank string within `max`, else undefined (the backend refuses blank text). */
const text = (value: unknown, max = Infinity): string | undefined =>
  typeof value === 'string' && value.trim() !== '' && value.length <= max
    ? value
    : undefined;

const cut = (value: string, max: number) =>
  value.length > max ? value.slice(0, max) : value;

/**
 * A link target without its query and fragment, which can carry what the user
 * typed (`/search?query=…`). Links to other sites keep their origin and path.
 */
export function pathOf(target: string): string {
  if (/^https?:\/\//i.test(target)) {
    try {
      const url = new URL(target);
      return `${url.origin}${url.pathname}`;
    } catch {
      return '';
    }
  }
  return target.split(/[?#]/, 1)[0];
}

/** `template:<namespace>/<name>` from a ref in any letter case, else undefined. */
function templateRefOf(ref: unknown): string | undefined {
  const value = text(ref, MAX_TEMPLATE_REF_LENGTH);
  const match = value?.match(/^template:(?:([^/]+)\/)?(.+)$/i);
  if (!match) return undefined;
  return `template:${match[1] ?? 'default'}/${match[2]}`;
}

/**
 * The scaffolder's form route has `templateName` (and `namespace`) among its
 * route parameters, which the app's route tracker puts on `navigate` events.
 */
function formTemplateRef(event: AnalyticsEvent): string | undefined {
  const name = text(event.attributes?.templateName);
  if (event.context.pluginId !== 'scaffolder' || !name) return undefined;
  const namespace = text(event.attributes?.namespace) ?? 'default';
  return text(`template:${namespace}/${name}`, MAX_TEMPLATE_REF_LENGTH);
}

/**
 * Maps a Backstage analytics event to what the portal keeps, or undefined for
 * actions it does not keep. Labels (link text, search result titles, the
 * scaffolder's "Next Step (2)") are free text and never leave the browser:
 * `subject` is a path, an entity ref or an extension id.
 */
export function toUsageEvent(
  event: AnalyticsEvent,
  occurredAt: Date,
): UsageEventInput | undefined {
  if (!isUsageAction(event.action)) return undefined;
  const { context, attributes = {} } = event;
  const pluginId = text(context.pluginId, MAX_PLUGIN_ID_LENGTH);
  const extensionId = text(context.extensionId, MAX_EXTENSION_ID_LENGTH);
  const base = {
    action: event.action,
    occurredAt: occurredAt.toISOString(),
    ...(pluginId && { pluginId }),
    ...(extensionId && { extensionId }),
  };
  const fallback = extensionId ?? pluginId ?? 'unknown';
  const target = text(attributes.to);
  const taskId =
    text(attributes.taskId, MAX_ID_LENGTH) ??
    text(context.taskId, MAX_ID_LENGTH);
  const value =
    typeof event.value === 'number' && Number.isFinite(event.value)
      ? event.value
      : undefined;

  let result: UsageEventInput;
  switch (event.action) {
    case 'navigate': {
      const templateRef = formTemplateRef(event);
      result = {
        ...base,
        subject: pathOf(event.subject).trim() || '/',
        ...(templateRef && { templateRef }),
        ...(taskId && { taskId }),
      };
      break;
    }
    case 'create': {
      const templateRef = templateRefOf(context.entityRef);
      // The scaffolder's value is its "minutes saved" estimate, not a measurement;
      // the form time is filled in by the tracker, which saw the form open.
      result = {
        ...base,
        subject: templateRef ?? fallback,
        ...(templateRef && { templateRef }),
        ...(taskId && { taskId }),
      };
      break;
    }
    case 'search': {
      const term = event.subject.trim();
      result = {
        ...base,
        subject: fallback,
        ...(value !== undefined && { value }),
        ...(value === 0 &&
          term && { searchTerm: cut(term, MAX_SEARCH_TERM_LENGTH) }),
      };
      break;
    }
    default: {
      // click and discover: where the link goes, else what was clicked in.
      const subject =
        (target && pathOf(target)) || text(context.entityRef) || fallback;
      result = {
        ...base,
        subject,
        ...(event.action === 'discover' && value !== undefined && { value }),
      };
    }
  }
  const subject = result.subject.trim() || fallback;
  return { ...result, subject: cut(subject, MAX_SUBJECT_LENGTH) };
}
