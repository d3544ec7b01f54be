import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { makeStyles } from '@material-ui/core';
import { LogoIcon } from './LogoIcon';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: 8,
  },
  title: {
    color: '#fff',
    fontSize: 17,
    fontWeight: 700,
    whiteSpace: 'nowrap',
  },
});

/** The mark and the portal's name (`app.title`), for the open sidebar. */
export const LogoFull = () => {
  const classes = useStyles();
  const title = useApi(configApiRef).getString('app.title');
  return (
    <span className={classes.root}>
      <LogoIcon />
      <span className={classes.title}>{title}</span>
    </span>
  );
};
