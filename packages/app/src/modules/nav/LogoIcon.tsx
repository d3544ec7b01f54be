import { makeStyles } from '@material-ui/core';
// The browser tab's icon, so that the portal's mark is drawn in one place.
import mark from '../../../public/favicon.svg';

const useStyles = makeStyles({
  img: {
    display: 'block',
    width: 28,
    height: 28,
  },
});

export const LogoIcon = () => {
  const classes = useStyles();
  return <img className={classes.img} src={mark} alt="" />;
};
