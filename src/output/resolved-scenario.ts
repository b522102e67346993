import type { Scenario } from '../scenario/schema.js';

/**
 * The resolved scenario as a run directory records it (scenario.json): every field with its
 * defaults filled in, without the `$schema` pointer of the file it was loaded from. That pointer
 * is relative to the scenario's own folder (ready scenarios say "./scenario.schema.json"), so in
 * a run directory it would point at nothing; the file stays a valid scenario that `wpsim run`
 * takes again.
 */
export function resolvedScenarioForOutput(scenario: Scenario): Omit<Scenario, '$schema'> {
  const { $schema: _pointer, ...rest } = scenario;
  return rest;
}
