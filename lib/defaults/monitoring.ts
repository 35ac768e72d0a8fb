/** The conventional Prometheus annotations for pod discovery, for every workload with metrics. */
export function scrapeAnnotations(port: number, path: string): Record<string, string> {
  return { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port), 'prometheus.io/path': path };
}
