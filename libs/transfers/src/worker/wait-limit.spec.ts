import { ErrorCode } from '@app/common';

import { waitOutcome } from './wait-limit';

const at = (iso: string) => new Date(iso);
const funds = (when: string) => ({
  code: ErrorCode.INSUFFICIENT_USDT,
  message: 'short of USDT',
  at: at(when),
});

describe('waitOutcome', () => {
  it('starts the clock at the first wait and keeps it while the reason stays a timed one', () => {
    const first = waitOutcome(undefined, funds('2026-01-01T00:00:00Z'), 60_000);
    expect(first.wait?.at).toEqual(at('2026-01-01T00:00:00Z'));
    const trx = {
      code: ErrorCode.INSUFFICIENT_FEE_RESOURCES,
      message: 'short of TRX',
      at: at('2026-01-01T00:00:30Z'),
    };
    const second = waitOutcome(first.wait, trx, 60_000);
    expect(second.wait).toEqual({ ...trx, at: at('2026-01-01T00:00:00Z') });
  });

  it('fails with the code it waited for once the maximum wait has passed', () => {
    const outcome = waitOutcome(funds('2026-01-01T00:00:00Z'), funds('2026-01-01T00:01:00Z'), 60_000);
    expect(outcome.fail).toMatchObject({ code: ErrorCode.INSUFFICIENT_USDT, at: at('2026-01-01T00:01:00Z') });
    expect(outcome.fail?.message).toContain('gave up after waiting 60 s');
  });

  it('restarts the clock after a wait for admins (emergency stop, disabled wallet)', () => {
    const halted = { code: ErrorCode.EMERGENCY_STOP, message: 'stopped', at: at('2026-01-01T00:00:00Z') };
    const outcome = waitOutcome(halted, funds('2026-01-01T05:00:00Z'), 60_000);
    expect(outcome.wait?.at).toEqual(at('2026-01-01T05:00:00Z'));
  });

  it('waits without limit when the maximum is 0', () => {
    const outcome = waitOutcome(funds('2020-01-01T00:00:00Z'), funds('2026-01-01T00:00:00Z'), 0);
    expect(outcome.wait?.at).toEqual(at('2020-01-01T00:00:00Z'));
  });
});
