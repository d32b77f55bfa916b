// A tuner's options from its study-file section, validated and with the defaults of tunerSpec.ts.
import { tunerSpecSchema, type TunerKind, type TunerSpec } from '../../shared/tunerSpec.ts'

export function tunerOptions<K extends TunerKind>(
  kind: K,
  options: Record<string, unknown>,
): Extract<TunerSpec, { kind: K }> {
  return tunerSpecSchema.parse({ ...options, kind }) as Extract<TunerSpec, { kind: K }>
}
