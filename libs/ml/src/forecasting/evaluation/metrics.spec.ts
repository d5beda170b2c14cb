import { coverage, mase, maseScale, meanAbsoluteError, pinballLoss, smape } from './metrics';

describe('metrics', () => {
  it('scales MASE by the in-sample seasonal naive MAE', () => {
    // Lag 2 differences: |3-1|, |4-2|, |7-3|, |6-4| → MAE 2.5.
    const history = [1, 2, 3, 4, 7, 6];
    expect(maseScale(history, 2)).toBeCloseTo(2.5, 12);
    // Forecast errors 1 and 4 → MAE 2.5 → MASE 1.
    expect(mase([5, 10], [6, 6], history, 2)).toBeCloseTo(1, 12);
  });

  it('falls back to lag 1 when the history is shorter than a season or the seasonal MAE is zero', () => {
    expect(maseScale([1, 3, 2], 52)).toBeCloseTo(1.5, 12);
    expect(maseScale([1, 2, 1, 2], 2)).toBeCloseTo(1, 12);
    expect(maseScale([5, 5, 5], 1)).toBeUndefined();
    expect(mase([1], [1], [5, 5, 5], 1)).toBeUndefined();
  });

  it('computes sMAPE in percent with 0/0 as a perfect forecast', () => {
    // |100-110|/(210/2) = 9.5238%; |0-0| counts 0; |50-0|/(50/2) = 200%.
    expect(smape([100, 0, 50], [110, 0, 0])).toBeCloseTo((100 * (20 / 210 + 0 + 2)) / 3, 10);
  });

  it('counts coverage with inclusive bounds', () => {
    expect(coverage([1, 2, 3, 4], [1, 0, 4, 0], [2, 1, 5, 4])).toBeCloseTo(0.5, 12);
  });

  it('computes MAE and the pinball loss', () => {
    expect(meanAbsoluteError([1, 2, 3], [2, 2, 1])).toBeCloseTo(1, 12);
    // q = 0.9: under-forecast by 2 costs 1.8, over-forecast by 1 costs 0.1.
    expect(pinballLoss([3, 1], [1, 2], 0.9)).toBeCloseTo((1.8 + 0.1) / 2, 12);
  });
});
