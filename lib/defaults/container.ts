import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { ConfigurationError } from '../errors';
import { setPodSeccompRuntimeDefault } from '../kube/pod';
import { dnsLabelProblem, envNameProblem, imageReferenceProblem } from '../kube/names';
import { validateResources } from './resources';
import { ImageUser, restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security';

/**
 * Rejects images that are not pinned: no tag, or `latest`. An unpinned image changes under a
 * running StatefulSet at the next pod restart. Digests (`@sha256:...`) are pinned.
 */
export function validateImage(scope: IConstruct | string, prop: string, image: string): void {
  if (typeof image !== 'string') throw new ConfigurationError(scope, prop, 'must be a string', image, 'Pass a pinned image reference, e.g. "postgres:16.4".');
  const problem = imageReferenceProblem(image);
  if (problem) throw new ConfigurationError(scope, prop, problem, image, `Use e.g. "${image.trim().toLowerCase() || 'busybox:1.36'}".`);
  const unpinned = unpinnedImageProblem(image);
  if (unpinned) throw new ConfigurationError(scope, prop, unpinned.problem, image, unpinned.fix);
}

/** Why an image reference is not pinned (no tag, or `latest`), with the fix; undefined when pinned. */
export function unpinnedImageProblem(image: string): { problem: string; fix: string } | undefined {
  if (image.includes('@sha256:')) return undefined;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : undefined;
  if (!tag) return { problem: 'has no tag', fix: `Pin a version, e.g. "${image}:<version>".` };
  if (tag === 'latest') return { problem: 'uses the "latest" tag', fix: 'Pin a version tag or a digest.' };
  return undefined;
}

/** Container props plus the user the image runs as. */
export interface ProductionContainerProps extends kplus.ContainerProps {
  /** The image's numeric user; the container gets the restricted security context for it. */
  readonly user: ImageUser;
  /** Explicit resources (required: no cdk8s-plus defaults). */
  readonly resources: kplus.ContainerResources;
}

/**
 * cdk8s-plus container props with production defaults: restricted security context, explicit
 * resources, IfNotPresent pulls (pinned tags never change; Always makes every restart depend on
 * the registry). Validates the image and the resources, naming `<prop>.image` and
 * `<prop>.resources` in errors (just `image` and `resources` when prop is '').
 */
export function productionContainer(scope: IConstruct, prop: string, props: ProductionContainerProps): kplus.ContainerProps {
  const prefix = prop ? `${prop}.` : '';
  validateImage(scope, `${prefix}image`, props.image);
  validateResources(scope, `${prefix}resources`, props.resources);
  if (props.name !== undefined) {
    const nameProblem = dnsLabelProblem(props.name);
    if (nameProblem) throw new ConfigurationError(scope, `${prefix}name`, nameProblem, props.name, 'Use a container name of lowercase letters, digits and "-".');
  }
  for (const name of Object.keys(props.envVariables ?? {})) {
    const envProblem = envNameProblem(name);
    if (envProblem) throw new ConfigurationError(scope, `${prefix}env`, `has a variable name that ${envProblem}`, name, 'Rename it, e.g. "LOG_LEVEL".');
  }
  const { user, ...containerProps } = props;
  return {
    imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
    securityContext: restrictedContainerSecurityContext(user),
    ...containerProps,
  };
}

/** Pod-level props for a restricted pod running as the image's user. */
export function productionPodProps(user: ImageUser): { securityContext: kplus.PodSecurityContextProps; automountServiceAccountToken: boolean; select: boolean } {
  return { securityContext: restrictedPodSecurityContext(user), automountServiceAccountToken: false, select: false };
}

/** What cdk8s-plus-27 cannot express for a restricted pod (seccomp RuntimeDefault). */
export function completeRestrictedPod(workload: kplus.AbstractPod): void {
  setPodSeccompRuntimeDefault(workload);
}
