import { PROFILES, PROFILE_NAMES, type ProfileName } from '../model/profiles.ts'

/**
 * Bacalhau's libp2p transport exists in v1.3.0–v1.3.2 only: v1.4.0 removed it (docs/design.md,
 * "libp2p mode"). A libp2p run under a later version's profile simulates something that never
 * shipped, so it is refused unless asked for (`libp2p_any_profile: true`). Each problem names
 * the version and the way out; `group` says which group's profile it is (none: the run's).
 */
export const libp2pProfileProblems = (
  transport: string,
  profiles: { run: ProfileName; groups: readonly { name: string; profile: ProfileName }[] },
  via: string,
): { group?: string; message: string }[] => {
  if (transport !== 'libp2p') return []
  const way = `use a profile of ${PROFILE_NAMES.filter((p) => PROFILES[p].libp2p).join(' or ')}, or set libp2p_any_profile: true to run libp2p with a later version's timers anyway`
  const problem = (whose: string, profile: ProfileName) =>
    `Bacalhau's libp2p transport (${via}) exists in v1.3.0–v1.3.2 only (removed in v1.4.0), and ${whose} profile is ${profile}: ${way}`
  return [
    ...(PROFILES[profiles.run].libp2p ? [] : [{ message: problem("this run's", profiles.run) }]),
    ...profiles.groups
      .filter((g) => g.profile !== profiles.run && !PROFILES[g.profile].libp2p)
      .map((g) => ({ group: g.name, message: problem(`group ${g.name}'s`, g.profile) })),
  ]
}
