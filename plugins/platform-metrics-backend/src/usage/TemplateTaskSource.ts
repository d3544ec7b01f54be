import type { UsageRange } from '../database/UsageStore';

/** A scaffolder task created from a template. */
export interface TemplateTask {
  id: string;
  /** Normalised as {@link normalizeTemplateRef}. */
  templateRef: string;
  status: 'completed' | 'failed' | 'running' | 'cancelled';
  /** For failed tasks: the step that failed, when the task says. */
  failedStepId: string | null;
}

/** Where scaffolder task outcomes come from. */
export interface TemplateTaskSource {
  /** Tasks created in the period; undefined when they cannot be read now. */
  listTasks(range: UsageRange): Promise<TemplateTask[] | undefined>;
}
