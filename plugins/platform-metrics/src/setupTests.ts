import '@testing-library/jest-dom';

// recharts' ResponsiveContainer measures its parent, which jsdom cannot do.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as any).ResizeObserver ??= ResizeObserverStub;
