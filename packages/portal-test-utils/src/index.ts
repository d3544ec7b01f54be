export {
  perPluginTestDatabase,
  type PerPluginTestDatabase,
} from './perPluginTestDatabase';
