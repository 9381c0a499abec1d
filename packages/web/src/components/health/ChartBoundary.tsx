import { Component, type ReactNode } from 'react';

interface ChartBoundaryState {
  error: Error | null;
}

/** Keeps a chart that fails to draw from taking the page down with it: the panel says so and the rest stays. */
export class ChartBoundary extends Component<{ children: ReactNode }, ChartBoundaryState> {
  override state: ChartBoundaryState = { error: null };

  static getDerivedStateFromError(error: unknown): ChartBoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render(): ReactNode {
    if (this.state.error !== null) {
      return (
        <p className="notice notice-error" role="alert">
          This chart could not be drawn ({this.state.error.message}); the numbers below are unaffected.
        </p>
      );
    }
    return this.props.children;
  }
}
