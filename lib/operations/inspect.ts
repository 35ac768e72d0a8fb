/**
 * What operations reads from the constructs' public objects: namespaces, names and the
 * synthesized JSON (through `ApiObject.of(...).toJson()`, the cdk8s escape hatch), never a
 * family's internals.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/** The synthesized manifest of a cdk8s-plus resource (or any construct backed by an ApiObject). */
export function manifestOf(resource: IConstruct): any {
  return ApiObject.of(resource).toJson();
}

/** The namespace the resource is created in, when the chart or the resource sets one. */
export function namespaceOf(resource: IConstruct): string | undefined {
  return ApiObject.of(resource).metadata.namespace;
}

/** The names of a StatefulSet's volumeClaimTemplates (claims are `<template>-<sts>-<ordinal>`). */
export function claimTemplateNames(statefulSet: IConstruct): string[] {
  const templates: any[] = manifestOf(statefulSet).spec?.volumeClaimTemplates ?? [];
  return templates.map((t) => String(t.metadata?.name));
}

/** A PromQL selector: exact matchers, then regex matchers; undefined values are left out. */
export function promSelector(exact: Record<string, string | undefined>, regex: Record<string, string> = {}): string {
  const quote = (v: string) => JSON.stringify(v);
  const parts = [
    ...Object.entries(exact).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${quote(v as string)}`),
    ...Object.entries(regex).map(([k, v]) => `${k}=~${quote(v)}`),
  ];
  return `{${parts.join(', ')}}`;
}

/** A Markdown heading anchor: lowercase letters, digits and dashes. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
