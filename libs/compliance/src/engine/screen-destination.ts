import { Injectable } from '@nestjs/common';

import type { Policies } from '@app/policies';
import type { RuleHit } from '@app/transfers';
import { DestinationFacts } from '@app/tron';

import { ComplianceDraft } from '../domain/compliance-draft';
import { ScreeningEntry } from '../domain/screening';
import { ScreeningProvider, ScreeningProviderError } from '../screening/screening-provider';
import { ComplianceBlocks } from './compliance-blocks';

export interface ScreeningResult {
  hits: RuleHit[];
  holdReasons: string[];
}

/**
 * AML screening of the destination, in order: the admins' blocklist, the token contract's blacklist, the
 * external provider, then allow-list mode. A block throws USDT_ERR_702 (reason audited, not returned).
 */
@Injectable()
export class ScreenDestination {
  constructor(
    private readonly destinations: DestinationFacts,
    private readonly provider: ScreeningProvider,
    private readonly blocks: ComplianceBlocks,
  ) {}

  /**
   * For a batch: asks the token's blacklist about all its destinations at once, so that `execute` finds the
   * answers kept instead of asking item by item.
   */
  async prepareBatch(destinations: readonly string[], policies: Policies): Promise<void> {
    if (policies.screening.contractBlacklist) await this.destinations.prefetchBlacklisted(destinations);
  }

  /**
   * `entries`: the destination's screening-list entries, read by the caller (ComplianceCheck: a batch's facts,
   * or the reads single payouts share).
   */
  async execute(
    draft: ComplianceDraft,
    policies: Policies,
    entries: readonly ScreeningEntry[],
  ): Promise<ScreeningResult> {
    const { screening } = policies;
    const hits: RuleHit[] = [];
    const holdReasons: string[] = [];

    const blocked = entries.find((entry) => entry.list === 'block');
    if (blocked) {
      throw await this.blocks.block(
        draft,
        'blocklist',
        `on the admin blocklist${blocked.reason ? `: ${blocked.reason}` : ''} (source ${blocked.source})`,
      );
    }

    if (screening.contractBlacklist && (await this.destinations.isBlacklisted(draft.to))) {
      throw await this.blocks.block(draft, 'contract_blacklist', 'blacklisted by the USDT token contract');
    }

    if (screening.provider.enabled) {
      try {
        const verdict = await this.provider.screen({
          address: draft.to,
          amountRaw: draft.amountRaw,
          timeoutMs: screening.provider.timeoutMs,
        });
        if (verdict.blocked) {
          const risk = verdict.risk ? ` (risk ${verdict.risk})` : '';
          throw await this.blocks.block(
            draft,
            'provider',
            `flagged by the screening provider${risk}: ${verdict.reason ?? 'no reason given'}`,
          );
        }
      } catch (err) {
        if (!(err instanceof ScreeningProviderError)) throw err;
        if (screening.provider.onError === 'fail_closed') {
          throw await this.blocks.block(
            draft,
            'provider_error',
            `screening provider unavailable, failing closed: ${err.message}`,
          );
        }
        hits.push({
          rule: 'provider_unscreened',
          action: 'note',
          detail: `not screened by the provider (fail_open): ${err.message}`,
          at: draft.at,
        });
      }
    }

    if (screening.allowlistMode && !entries.some((entry) => entry.list === 'allow')) {
      holdReasons.push('allowlist');
      hits.push({
        rule: 'allowlist',
        action: 'approval',
        detail: 'allow-list mode: the destination is not on the allow-list',
        at: draft.at,
      });
    }
    return { hits, holdReasons };
  }
}
