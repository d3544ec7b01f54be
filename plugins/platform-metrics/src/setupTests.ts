import '@testing-library/jest-dom';

// recharts' ResponsiveContainer measures its parent, which jsdom cannot do.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as any).ResizeObserver ??= ResizeObserverStub;

// Form interactions through user-event take several seconds of jsdom work;
// on a busy 2-core CI machine the default 5 s cut them off mid-way.
jest.setTimeout(30_000);
