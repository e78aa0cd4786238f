import 'uplot/dist/uPlot.min.css';
import { useElementSize } from '@mantine/hooks';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

export interface TimeSeries {
  label: string;
  values: Array<number | null>;
  color: string;
}

/** A line chart over days or hours (uPlot: small and fast). `x` are Unix seconds. */
export default function TimeChart({ x, series, height = 240, title }: { x: number[]; series: TimeSeries[]; height?: number; title: string }) {
  const { ref: box, width } = useElementSize();
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!target.current || width < 50) return;
    const plot = new uPlot(
      {
        width,
        height,
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: x.length < 40 } }))],
        axes: [{}, { size: 60 }],
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
      },
      [x, ...series.map((s) => s.values)],
      target.current,
    );
    return () => plot.destroy();
  }, [x, series, width, height]);
  return (
    <div ref={box} role="img" aria-label={title}>
      <div ref={target} />
    </div>
  );
}
