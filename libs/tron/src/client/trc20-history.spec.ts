import { toHistoryPage } from './trc20-history';

const USDT = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
const OTHER = 'TEkxiTehnzSmSe2XqrBj4w32RUN966rdz8';
const A = 'TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL';
const B = 'TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7';

describe('toHistoryPage', () => {
  it("keeps our contract's transfers with bigint values and the next fingerprint", () => {
    const page = toHistoryPage(
      {
        success: true,
        data: [
          {
            transaction_id: '1'.repeat(64),
            token_info: { address: USDT },
            from: A,
            to: B,
            value: '2500000',
            block_timestamp: 7,
            type: 'Transfer',
          },
          {
            transaction_id: '2'.repeat(64),
            token_info: { address: OTHER },
            from: A,
            to: B,
            value: '1',
            block_timestamp: 8,
          },
          {
            transaction_id: '3'.repeat(64),
            token_info: { address: USDT },
            from: A,
            to: B,
            value: '1e6',
            block_timestamp: 9,
          },
        ],
        meta: { fingerprint: 'next-page' },
      },
      USDT,
    );
    expect(page).toEqual({
      items: [
        { txid: '1'.repeat(64), from: A, to: B, valueRaw: 2_500_000n, blockTimestamp: 7, type: 'Transfer' },
      ],
      nextFingerprint: 'next-page',
    });
  });

  it('has no fingerprint on the last page', () => {
    expect(toHistoryPage({ data: [] }, USDT)).toEqual({ items: [] });
  });
});
