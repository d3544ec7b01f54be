import { useEffect, useState, type ReactNode } from 'react';
import MuiTextField from '@material-ui/core/TextField';
import { TextField, Text } from '@backstage/ui';
import { useApi } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { catalogApiRef, EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  makeFieldSchema,
  type CustomFieldValidator,
  type FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import {
  createFormField,
  useScaffolderTheme,
} from '@backstage/plugin-scaffolder-react/alpha';
import {
  catalogCheckFailedMessage,
  findEntityUsingServiceName,
  serviceNameFormatError,
  serviceNameTakenMessage,
} from './serviceName';

/**
 * Long enough that a catalog request is not sent for every keystroke, short
 * enough that the answer feels immediate once the user pauses.
 */
const SERVICE_NAME_DEBOUNCE_MS = 300;

type Status =
  | { state: 'idle' }
  | { state: 'invalid'; message: string }
  | { state: 'checking'; name: string }
  | { state: 'taken'; name: string; entity: Entity }
  | { state: 'available'; name: string }
  | { state: 'failed'; message: string };

function useServiceNameStatus(name: string): Status {
  const catalogApi = useApi(catalogApiRef);
  const [status, setStatus] = useState<Status>({ state: 'idle' });

  useEffect(() => {
    // Responses for a name the user has since changed must not overwrite the
    // status of the current one.
    let current = true;
    // Until the user pauses, an earlier status would describe another name.
    setStatus({ state: 'idle' });
    if (!name) {
      return undefined;
    }
    const timer = setTimeout(async () => {
      const formatError = serviceNameFormatError(name);
      if (formatError) {
        setStatus({ state: 'invalid', message: formatError });
        return;
      }
      setStatus({ state: 'checking', name });
      try {
        const entity = await findEntityUsingServiceName(catalogApi, name);
        if (!current) return;
        setStatus(
          entity
            ? { state: 'taken', name, entity }
            : { state: 'available', name },
        );
      } catch (error) {
        if (!current) return;
        setStatus({
          state: 'failed',
          message: catalogCheckFailedMessage(error),
        });
      }
    }, SERVICE_NAME_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [catalogApi, name]);

  return status;
}

function statusMessage(status: Status): ReactNode {
  switch (status.state) {
    case 'invalid':
      return `Invalid name: ${status.message}`;
    case 'checking':
      return 'Checking the catalog…';
    case 'taken':
      return (
        <>
          <code>{status.name}</code> is already taken by{' '}
          <EntityRefLink entityRef={status.entity} />. Choose another name.
        </>
      );
    case 'available':
      return (
        <>
          <code>{status.name}</code> is available.
        </>
      );
    case 'failed':
      return status.message;
    default:
      return undefined;
  }
}

function isProblem(status: Status) {
  return (
    status.state === 'invalid' ||
    status.state === 'taken' ||
    status.state === 'failed'
  );
}

function statusColor(status: Status) {
  if (isProblem(status)) return 'danger';
  return status.state === 'available' ? 'success' : 'secondary';
}

const ServiceNameFieldSchema = makeFieldSchema({
  output: z => z.string(),
});

export type ServiceNameFieldProps = FieldExtensionComponentProps<string>;

/**
 * A text input for a new service's name that tells the user, while they type,
 * whether the name is a valid DNS-1123 label and whether the catalog already
 * has a component with that name.
 */
export function ServiceNameField(props: ServiceNameFieldProps) {
  const {
    onChange,
    required,
    schema: { title = 'Name', description },
    rawErrors,
    formData,
    uiSchema,
    idSchema,
    placeholder,
  } = props;
  const autoFocus = uiSchema?.['ui:autofocus'];
  const theme = useScaffolderTheme();
  const name = formData ?? '';
  const status = useServiceNameStatus(name);
  const message = statusMessage(status);
  // Errors from the last submit outlive later edits, so only the one about an
  // empty value is still true once the user has typed; the status covers the
  // rest.
  const invalid = isProblem(status) || (!name && (rawErrors?.length ?? 0) > 0);

  if (theme === 'bui') {
    return (
      <div>
        <TextField
          id={idSchema?.$id}
          label={title}
          description={uiSchema?.['ui:description'] ?? description}
          secondaryLabel={required ? 'Required' : undefined}
          placeholder={placeholder}
          isRequired={required}
          value={name}
          onChange={onChange}
          isInvalid={invalid}
          // Only when the template asks for it with `ui:autofocus`, as the
          // scaffolder's own fields do.
          // eslint-disable-next-line jsx-a11y/no-autofocus
          autoFocus={autoFocus}
        />
        {message && (
          <Text
            as="p"
            variant="body-small"
            color={statusColor(status)}
            aria-live="polite"
          >
            {message}
          </Text>
        )}
      </div>
    );
  }

  return (
    <MuiTextField
      id={idSchema?.$id}
      label={title}
      placeholder={placeholder}
      helperText={message ?? description}
      required={required}
      value={name}
      onChange={({ target: { value } }) => onChange(value)}
      margin="normal"
      error={invalid}
      inputProps={{ autoFocus }}
      FormHelperTextProps={{
        margin: 'dense',
        style: { marginLeft: 0 },
        'aria-live': 'polite',
      }}
    />
  );
}

/**
 * Runs when the user moves on from the step, so a taken or malformed name
 * stops the form there even if they never paused long enough to see the
 * status under the field.
 */
export const serviceNameValidation: CustomFieldValidator<string> = async (
  value,
  validation,
  { apiHolder },
) => {
  // An empty name is the schema's `required` to report.
  if (!value) return;
  const formatError = serviceNameFormatError(value);
  if (formatError) {
    validation.addError(`Invalid name: ${formatError}`);
    return;
  }
  const catalogApi = apiHolder.get(catalogApiRef);
  if (!catalogApi) {
    validation.addError(
      catalogCheckFailedMessage(new Error('the catalog API is not available')),
    );
    return;
  }
  try {
    if (await findEntityUsingServiceName(catalogApi, value)) {
      validation.addError(serviceNameTakenMessage(value));
    }
  } catch (error) {
    // The task needs the catalog too, so letting the user through would only
    // move the failure to after they pressed Create.
    validation.addError(catalogCheckFailedMessage(error));
  }
};

export const serviceNameFormField = createFormField({
  name: 'ServiceNameField',
  component: ServiceNameField,
  validation: serviceNameValidation,
  schema: ServiceNameFieldSchema,
});
