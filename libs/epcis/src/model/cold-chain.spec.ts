import { describeRange, excursionOf, storageRangeOf, temperatureReadings, toCelsius } from './cold-chain';

describe('cold chain', () => {
  it('reads a storage range in every form master data states it', () => {
    expect(
      storageRangeOf({
        'https://gs1.org/voc/minimumTemperature': 2,
        'https://gs1.org/voc/maximumTemperature': '8 CEL',
      }),
    ).toEqual({ minC: 2, maxC: 8 });
    expect(
      storageRangeOf({ 'https://gs1.org/voc/maximumTemperature': { value: 77, unitCode: 'FAH' } })!.maxC,
    ).toBeCloseTo(25);
    expect(storageRangeOf({ 'https://gs1.org/voc/maximumTemperature': 'cool' })).toBeUndefined();
    expect(storageRangeOf({})).toBeUndefined();
  });

  it('reads every temperature of an event’s sensor reports, converted to °C, and nothing else', () => {
    const readings = temperatureReadings({
      sensorElementList: [
        {
          sensorMetadata: { time: '2026-12-01T10:00:00Z', deviceID: 'urn:epc:id:giai:4012345.1' },
          sensorReport: [
            { type: 'gs1:Temperature', value: 5.5, uom: 'CEL' },
            { type: 'https://gs1.org/voc/Temperature', minValue: 35.6, maxValue: 50, uom: 'FAH' },
            { type: 'gs1:RelativeHumidity', value: 80, uom: 'P1' },
            { type: 'gs1:Temperature', value: 300, uom: 'XYZ' },
          ],
        },
      ],
    });
    expect(readings.map((r) => Math.round(r.value * 10) / 10)).toEqual([5.5, 2, 10]);
    expect(readings[0]).toMatchObject({
      time: '2026-12-01T10:00:00Z',
      deviceId: 'urn:epc:id:giai:4012345.1',
    });
  });

  it('finds an excursion only outside the range', () => {
    const range = { minC: 2, maxC: 8 };
    expect(excursionOf([{ value: 2 }, { value: 8 }], range)).toBeUndefined();
    expect(excursionOf([{ value: 5 }, { value: 14.2 }, { value: 1 }], range)).toEqual({
      lowestC: 1,
      highestC: 14.2,
      range,
    });
    expect(describeRange(range)).toBe('2–8 °C');
    expect(describeRange({ maxC: 25 })).toBe('≤ 25 °C');
    expect(toCelsius(273.15, 'KEL')).toBe(0);
  });
});
