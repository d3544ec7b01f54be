import { useState } from 'react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Entity } from '@backstage/catalog-model';
import type { ApiHolder } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  entityRouteRef,
  type CatalogApi,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import {
  ServiceNameField,
  serviceNameValidation,
  type ServiceNameFieldProps,
} from './ServiceNameField';

const config = {
  app: { title: 'x', baseUrl: 'http://localhost:3000' },
  backend: { baseUrl: 'http://localhost:7007' },
};

const existing: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/platform' },
};
// Same name, other kind: does not block a new Component, as in the task.
const sameNameOtherKind: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'billing', namespace: 'default' },
  spec: { owner: 'group:default/platform' },
};

/** Holds the value like the scaffolder form does, so typing changes it. */
function Harness() {
  const [value, setValue] = useState<string | undefined>();
  const props = {
    onChange: setValue,
    formData: value,
    required: true,
    schema: { title: 'Name', description: 'The service name' },
    uiSchema: {},
    idSchema: { $id: 'root_name' },
    rawErrors: [],
  } as unknown as ServiceNameFieldProps;
  return <ServiceNameField {...props} />;
}

async function renderField() {
  renderInTestApp(<Harness />, {
    config,
    apis: [catalogApiMock({ entities: [existing, sameNameOtherKind] })],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
  const input = await screen.findByRole('textbox', { name: /name/i });
  return { input, user: userEvent.setup() };
}

describe('ServiceNameField', () => {
  it('explains why a name is not a DNS-1123 label', async () => {
    const { input, user } = await renderField();

    await user.type(input, 'Payments');

    expect(
      await screen.findByText(
        'Invalid name: Use only lowercase letters, digits and "-".',
      ),
    ).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
  });

  it('rejects a name longer than 40 characters', async () => {
    const { input, user } = await renderField();

    await user.type(input, 'a'.repeat(41));

    expect(
      await screen.findByText(/at most 40 characters \(this one has 41\)/),
    ).toBeInTheDocument();
  });

  it('rejects a name ending with "-"', async () => {
    const { input, user } = await renderField();

    await user.type(input, 'payments-');

    expect(
      await screen.findByText(
        'Invalid name: Must end with a lowercase letter or a digit.',
      ),
    ).toBeInTheDocument();
  });

  it('links to the component that already has the name', async () => {
    const { input, user } = await renderField();

    await user.type(input, 'payments');

    const link = await screen.findByRole('link', { name: /payments/ });
    expect(link).toHaveAttribute('href', '/catalog/default/component/payments');
    expect(screen.getByText(/is already taken by/)).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
  });

  it('says when the name is available', async () => {
    const { input, user } = await renderField();

    await user.type(input, 'billing');

    expect(await screen.findByText(/is available/)).toBeInTheDocument();
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'false');
  });

  it('waits for the user to pause before asking the catalog', async () => {
    const catalogApi = catalogApiMock.mock({
      getEntityByRef: jest.fn(async () => undefined),
    });
    renderInTestApp(<Harness />, { config, apis: [catalogApi] });
    const input = await screen.findByRole('textbox', { name: /name/i });

    await userEvent.setup().type(input, 'orders');

    expect(await screen.findByText(/is available/)).toBeInTheDocument();
    expect(catalogApi.getEntityByRef).toHaveBeenCalledTimes(1);
    expect(catalogApi.getEntityByRef).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'orders',
    });
  });
});

describe('serviceNameValidation', () => {
  async function errorsFor(value: string, catalogApi: Partial<CatalogApi>) {
    const apiHolder: ApiHolder = {
      get: ref => (ref.id === catalogApiRef.id ? catalogApi : undefined) as any,
    };
    const validation = createFieldValidation();
    await serviceNameValidation(value, validation, {
      apiHolder,
      formData: { name: value },
      schema: {},
    });
    return validation.__errors ?? [];
  }
  const catalogApi = catalogApiMock({ entities: [existing] });

  it('stops the form on a name that is taken', async () => {
    expect(await errorsFor('payments', catalogApi)).toEqual([
      '"payments" is already taken by a component in the catalog.',
    ]);
  });

  it('lets an available name through', async () => {
    expect(await errorsFor('orders', catalogApi)).toEqual([]);
  });

  it('stops the form on a malformed name without asking the catalog', async () => {
    const getEntityByRef = jest.fn();
    expect(await errorsFor('-orders', { getEntityByRef })).toEqual([
      'Invalid name: Must start with a lowercase letter.',
    ]);
    expect(getEntityByRef).not.toHaveBeenCalled();
  });

  it('stops the form when the catalog cannot be asked', async () => {
    const failing = {
      getEntityByRef: jest.fn(async () => {
        throw new Error('503 Service Unavailable');
      }),
    };
    expect(await errorsFor('orders', failing)).toEqual([
      'Could not check the catalog for this name: 503 Service Unavailable. Try again.',
    ]);
  });
});
