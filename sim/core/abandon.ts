/**
 * A promise whose outcome nobody waits for any more: the loser of a race, or work the run's
 * teardown ends anyway. Its rejection is not news, and must not surface as an unhandled
 * rejection. `why` says at the call site why that is so (it is not used otherwise): every
 * ignored failure in netsim goes through here, so each one is named and can be found.
 */
export const abandon = (p: Promise<unknown>, why: string): void => {
  void why
  p.then(
    () => undefined,
    () => undefined,
  )
}

/** Waits for `p`, whose failure is not news either (closing what is already closed): see `abandon`. */
export const settle = async (p: Promise<unknown> | undefined, why: string): Promise<void> => {
  void why
  try {
    await p
  } catch {
    // the reason is `why`
  }
}
