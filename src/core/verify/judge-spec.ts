/** The rubric judge as asked for on the command line and kept in run.json (never a key). Zod only, so run.json readers stay light. */
import { z } from 'zod';

export const JudgeSpec = z.object({
  model: z.string().min(1),
  base_url: z.string().optional(),
  config: z.string().optional(),
  /** Show the judge a transcript summary (default true). */
  transcript: z.boolean().optional(),
});
export type JudgeSpec = z.infer<typeof JudgeSpec>;
