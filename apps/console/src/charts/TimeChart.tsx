import 'uplot/dist/uPlot.min.css';
import { useElementSize } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';

export interface TimeSeries {
  label: string;
  values: Array<number | null>;
  color: string;
}

/**
 * A line chart over days or hours (uPlot: small and fast). `x` are Unix seconds. The x axis spans
 * `range` (the report's from/to, so one point of "Today" sits on today's hours, not on a span of
 * years uPlot would guess) and reads times in `timeZone` (the report's zone, not the browser's).
 */
export default function TimeChart({
  x,
  series,
  height = 240,
  title,
  range,
  timeZone,
}: {
  x: number[];
  series: TimeSeries[];
  height?: number;
  title: string;
  range?: [number, number];
  timeZone?: string;
}) {
  const { ref: box, width } = useElementSize();
  const target = useRef<HTMLDivElement>(null);
  const [axis, setAxis] = useState<{ min?: number; max?: number }>({});
  useEffect(() => {
    if (!target.current || width < 50) return;
    const plot = new uPlot(
      {
        width,
        height,
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: x.length < 40 } }))],
        scales: range ? { x: { time: true, range: () => range } } : undefined,
        ...(timeZone ? { tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), timeZone) } : {}),
        axes: [{}, { size: 60 }],
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        // The axis as drawn, for tests and tools: uPlot settles its scales once the chart is ready.
        hooks: { ready: [(u) => setAxis({ min: u.scales.x.min, max: u.scales.x.max })] },
      },
      [x, ...series.map((s) => s.values)],
      target.current,
    );
    return () => plot.destroy();
  }, [x, series, width, height, range, timeZone]);
  return (
    <div ref={box} role="img" aria-label={title} data-testid="time-chart" data-x-min={axis.min} data-x-max={axis.max}>
      <div ref={target} />
    </div>
  );
}
